import Models
import Testing

/// A calendar appointment at a Toronto wall-clock time, 30 minutes long.
private func calendarAppointment(_ id: String, series: String? = nil, original: String, start: String? = nil, status: AppointmentStatus = .booked,
                                 sequence: Int = 0, room: String = "Bed 1", selected: Bool = true) throws -> CalendarAppointment {
    let zone = try SiteTimeZone("America/Toronto")
    let originalStart = try zone.requireInstant(wallClock(original))
    let begin = try zone.requireInstant(wallClock(start ?? original))
    return CalendarAppointment(id: id, seriesID: series, originalStart: originalStart, span: TimeSpan(start: begin, end: begin + 1_800_000),
                               status: status, sequence: sequence, updatedAt: millis("2026-10-01T12:00:00Z"), patientChart: "MTL-000001",
                               serviceSlug: "dn-30", serviceName: "Dry needling", roomName: room, practitionerHandle: "jdoe", selected: selected)
}

/// The unfolded content lines of a calendar.
private func unfolded(_ text: String) -> [String] {
    text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
}

@Suite("iCalendar text, time zones and series")
struct ExchangeICalendarTests {
    @Test("lines fold at 75 octets without splitting a UTF-8 character")
    func folding() {
        let ascii = "SUMMARY:" + String(repeating: "a", count: 100)
        let folded = ICalendarText.fold(ascii).components(separatedBy: "\r\n")
        #expect(folded.map(\.utf8.count) == [75, 34])
        #expect(folded[1].hasPrefix(" "))
        let accented = "LOCATION:" + String(repeating: "é", count: 60)
        let pieces = ICalendarText.fold(accented).components(separatedBy: "\r\n")
        #expect(pieces.allSatisfy { $0.utf8.count <= 75 })
        #expect(ICalendarText.fold(accented).replacingOccurrences(of: "\r\n ", with: "") == accented)
    }

    @Test("TEXT values escape backslash, semicolon, comma and newline")
    func escaping() {
        #expect(ICalendarText.escape("Bed 1, Clinique; a\\b\nc") == "Bed 1\\, Clinique\\; a\\\\b\\nc")
    }

    @Test("Toronto's VTIMEZONE has the real 2026 changes: DAYLIGHT on 8 March, STANDARD on 1 November")
    func torontoObservances() throws {
        let observances = ICalendarTimeZone.observances(identifier: "America/Toronto", from: millis("2026-02-01T00:00:00Z"),
                                                        to: millis("2026-12-31T00:00:00Z"))
        #expect(observances.count == 3)
        #expect(observances.map(\.isDaylight) == [false, true, false])
        #expect(observances[1].start == wallClock("2026-03-08 02:00"))
        #expect(observances[1].offsetFrom == -18_000 && observances[1].offsetTo == -14_400)
        #expect(observances[2].start == wallClock("2026-11-01 02:00"))
        #expect(observances[2].offsetFrom == -14_400 && observances[2].offsetTo == -18_000)
        #expect(ICalendarText.offset(-14_400) == "-0400")
    }

    @Test("a zone without daylight saving gets one STANDARD observance")
    func tokyo() {
        let observances = ICalendarTimeZone.observances(identifier: "Asia/Tokyo", from: millis("2026-02-01T00:00:00Z"), to: millis("2026-12-31T00:00:00Z"))
        #expect(observances.count == 1)
        #expect(observances.first?.offsetTo == 32_400 && observances.first?.isDaylight == false)
    }

    @Test("series patterns become RRULEs; irregular starts do not", arguments: [
        (["2026-10-20 09:00", "2026-10-27 09:00", "2026-11-03 09:00"], "FREQ=WEEKLY;COUNT=3"),
        (["2026-10-20 09:00", "2026-11-03 09:00"], "FREQ=WEEKLY;INTERVAL=2;COUNT=2"),
        (["2026-10-20 09:00", "2026-10-21 09:00", "2026-10-22 09:00", "2026-10-23 09:00"], "FREQ=DAILY;COUNT=4"),
        (["2026-10-20 09:00", "2026-10-27 10:00"], ""),
        (["2026-10-20 09:00", "2026-10-27 09:00", "2026-11-04 09:00"], ""),
    ])
    func patterns(starts: [String], rrule: String) {
        #expect(SeriesPattern.infer(starts.map(wallClock))?.rrule ?? "" == rrule)
    }

    @Test("a series across the November change is one VEVENT: cancelled → EXDATE, moved → RECURRENCE-ID, someone else's → EXDATE")
    func seriesEvent() throws {
        let series = "01900000-0000-7000-8000-000000000000"
        let list = [
            try calendarAppointment("a1", series: series, original: "2026-10-20 09:00", sequence: 1),
            try calendarAppointment("a2", series: series, original: "2026-10-27 09:00", status: .cancelled, sequence: 1),
            try calendarAppointment("a3", series: series, original: "2026-11-03 09:00", start: "2026-11-03 10:30", sequence: 2),
            try calendarAppointment("a4", series: series, original: "2026-11-10 09:00", selected: false),
            try calendarAppointment("a5", series: series, original: "2026-11-17 09:00"),
            try calendarAppointment("single", original: "2026-11-18 14:00", status: .cancelled, sequence: 1),
        ]
        let text = ICalendarExport(zone: try SiteTimeZone("America/Toronto"), siteName: "Montréal", calendarName: "MTL · jdoe").render(list)
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = unfolded(text)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 3)
        #expect(lines.contains("UID:\(series)"))
        #expect(lines.contains("RRULE:FREQ=WEEKLY;COUNT=5"))
        #expect(lines.contains("DTSTART;TZID=America/Toronto:20261020T090000"))
        #expect(lines.contains("EXDATE;TZID=America/Toronto:20261027T090000"))
        #expect(lines.contains("EXDATE;TZID=America/Toronto:20261110T090000"))
        #expect(lines.contains("RECURRENCE-ID;TZID=America/Toronto:20261103T090000"))
        #expect(lines.contains("DTSTART;TZID=America/Toronto:20261103T103000"))
        #expect(lines.contains("SEQUENCE:4"), "the master's SEQUENCE sums its members' changes")
        #expect(lines.contains("UID:single") && lines.contains("STATUS:CANCELLED"))
        #expect(lines.contains("BEGIN:DAYLIGHT") && lines.contains("BEGIN:STANDARD"))
        #expect(lines.contains("SUMMARY:MTL-000001 · Dry needling (dn-30)"))
    }

    @Test("a series whose every selected occurrence is cancelled is one cancelled event")
    func cancelledSeries() throws {
        let series = "s"
        let list = [
            try calendarAppointment("a1", series: series, original: "2026-10-20 09:00", status: .cancelled),
            try calendarAppointment("a2", series: series, original: "2026-10-27 09:00", status: .cancelled),
        ]
        let lines = unfolded(ICalendarExport(zone: try SiteTimeZone("America/Toronto"), siteName: "M", calendarName: "c").render(list))
        #expect(lines.contains("STATUS:CANCELLED") && lines.contains("RRULE:FREQ=WEEKLY;COUNT=2"))
        #expect(!lines.contains { $0.hasPrefix("EXDATE") })
    }
}

@Suite("iCalendar time zone coverage")
struct ExchangeICalendarCoverageTests {
    @Test("the VTIMEZONE covers a series' first slot even when that slot belongs to someone else")
    func coversUnselectedFirstSlot() throws {
        let list = [
            try calendarAppointment("a1", series: "s", original: "2026-10-20 09:00", selected: false),
            try calendarAppointment("a2", series: "s", original: "2026-11-17 09:00"),
        ]
        let lines = unfolded(ICalendarExport(zone: try SiteTimeZone("America/Toronto"), siteName: "M", calendarName: "c").render(list))
        #expect(lines.contains("BEGIN:DAYLIGHT"), "the 20 October slot is in daylight time")
        #expect(lines.contains("DTSTART;TZID=America/Toronto:20261020T090000"))
    }
}

@Suite("iCalendar across sites in several zones")
struct ExchangeICalendarZonesTests {
    @Test("each event is written in its site's zone, with a VTIMEZONE for every zone used and its site in LOCATION")
    func twoZones() throws {
        let toronto = try SiteTimeZone("America/Toronto"), vancouver = try SiteTimeZone("America/Vancouver")
        var here = try calendarAppointment("a1", original: "2026-12-01 09:00")
        here.zone = toronto
        here.siteName = "Montréal"
        let start = try vancouver.requireInstant(wallClock("2026-12-05 10:00"))
        var there = try calendarAppointment("a2", original: "2026-12-05 10:00", room: "Room A")
        (there.originalStart, there.span, there.zone, there.siteName) = (start, TimeSpan(start: start, end: start + 1_800_000), vancouver, "Vancouver")
        let lines = unfolded(ICalendarExport(zone: toronto, siteName: "Montréal", calendarName: "c").render([here, there]))
        #expect(lines.filter { $0 == "BEGIN:VTIMEZONE" }.count == 2)
        #expect(lines.contains("TZID:America/Toronto") && lines.contains("TZID:America/Vancouver"))
        #expect(lines.firstIndex(of: "TZID:America/Toronto") ?? .max < lines.firstIndex(of: "TZID:America/Vancouver") ?? .min,
                "the calendar's own zone first")
        #expect(lines.contains("X-WR-TIMEZONE:America/Toronto"))
        #expect(lines.contains("DTSTART;TZID=America/Toronto:20261201T090000"))
        #expect(lines.contains("DTSTART;TZID=America/Vancouver:20261205T100000") && lines.contains("DTEND;TZID=America/Vancouver:20261205T103000"))
        #expect(lines.contains("LOCATION:Room A\\, Vancouver") && lines.contains("LOCATION:Bed 1\\, Montréal"))
    }

    @Test("a zone no event uses gets no VTIMEZONE")
    func onlyZonesUsed() throws {
        var there = try calendarAppointment("a1", original: "2026-12-01 09:00")
        there.zone = try SiteTimeZone("America/Halifax")
        let lines = unfolded(ICalendarExport(zone: try SiteTimeZone("America/Toronto"), siteName: "M", calendarName: "c").render([there]))
        #expect(lines.filter { $0.hasPrefix("TZID:") } == ["TZID:America/Halifax"])
        #expect(lines.contains("DTSTART;TZID=America/Halifax:20261201T100000"), "09:00 in Toronto written in Halifax's wall clock")
    }
}
