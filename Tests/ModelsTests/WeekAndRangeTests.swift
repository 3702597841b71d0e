import Models
import Testing

@Suite("Weeks and report ranges")
struct WeekAndRangeTests {
    @Test("a week starts on Monday, across a month and a year", arguments: [
        ("2026-12-07", "2026-12-07"), ("2026-12-09", "2026-12-07"), ("2026-12-13", "2026-12-07"),
        ("2027-01-01", "2026-12-28"), ("2027-01-03", "2026-12-28"), ("2024-03-01", "2024-02-26"),
    ])
    func startOfWeek(day: String, monday: String) {
        #expect(date(day).startOfWeek == date(monday))
        #expect(date(day).startOfWeek.weekday == 1)
    }

    @Test("the week is the seven days Monday to Sunday holding the date")
    func week() {
        let days = date("2027-01-01").week
        #expect(days.map(\.description) == ["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"])
        #expect(days.map(\.weekday) == Array(1...7))
    }

    @Test("a report covers the current week by default, and six days after --from alone")
    func reportDefaults() throws {
        let zone = try SiteTimeZone("America/Toronto")
        let week = try ReportRange(from: nil, until: nil, today: date("2026-12-10"), zone: zone)
        #expect((week.from, week.until, week.days.count) == ("2026-12-07", "2026-12-13", 7))
        #expect(week.start == zone.startOfDay(date("2026-12-07")))
        #expect(week.end == zone.startOfDay(date("2026-12-14")))
        let fromWednesday = try ReportRange(from: date("2026-12-09"), until: nil, today: date("2026-12-10"), zone: zone)
        #expect((fromWednesday.from, fromWednesday.until) == ("2026-12-09", "2026-12-15"))
    }

    @Test("another site counts the same days from its own midnights")
    func reportDaysInAnotherZone() throws {
        let toronto = try SiteTimeZone("America/Toronto"), vancouver = try SiteTimeZone("America/Vancouver")
        let week = try ReportRange(from: date("2026-11-23"), until: date("2026-11-29"), today: date("2026-11-23"), zone: toronto)
        let there = week.bounded(in: vancouver)
        #expect(there.days == week.days)
        #expect(there.start == millis("2026-11-23T08:00:00Z") && there.end == millis("2026-11-30T08:00:00Z"))
        #expect(week.start == millis("2026-11-23T05:00:00Z") && week.end == millis("2026-11-30T05:00:00Z"))
    }

    @Test("--site and --all-sites choose the sites a report covers", arguments: [
        (nil, false, ReportSites.here), ("QC", false, .site("QC")), (nil, true, .all),
    ] as [(String?, Bool, ReportSites)])
    func reportSites(code: String?, all: Bool, expected: ReportSites) {
        #expect(ReportSites(code: code, all: all) == expected)
    }

    @Test("a report range runs forward and covers at most 366 days", arguments: [
        ("2026-12-10", "2026-12-09", "invalid-range"), ("2026-01-01", "2027-01-02", "out-of-range"),
        ("2026-01-01", "2027-01-01", nil), ("2026-12-10", "2026-12-10", nil),
    ] as [(String, String, String?)])
    func reportBounds(from: String, until: String, code: String?) throws {
        let zone = try SiteTimeZone("America/Toronto")
        #expect(clinicErrorCode { _ = try ReportRange(from: date(from), until: date(until), today: date(from), zone: zone) } == code)
    }

    @Test("the no-show report lists clinicians with hours, then anyone else who had appointments")
    func attendancePractitioners() {
        let span = TimeSpan(start: 0, end: 1_800_000)
        let appointments = [ReportAppointment(practitioner: "zlee", room: "Bed 1", span: span, status: .noShow),
                            ReportAppointment(practitioner: "jdoe", room: "Bed 1", span: span, status: .completed),
                            ReportAppointment(practitioner: "agone", room: "Bed 2", span: span, status: .booked)]
        #expect(AttendanceReport.practitioners(clinicians: ["mroy", "jdoe"], appointments: appointments) == ["mroy", "jdoe", "agone", "zlee"])
    }
}
