import Models
import Testing

@Suite("Recurring series in the site's zone")
struct RecurrenceTests {
    @Test("a Tuesday 09:00 weekly series in Toronto stays at 09:00 local across the November change")
    func torontoFallBack() throws {
        let zone = try SiteTimeZone("America/Toronto")
        let instants = try Recurrence(rule: .weekly, end: .count(3)).instants(from: wallClock("2026-10-27 09:00"), in: zone)
        #expect(instants == [millis("2026-10-27T13:00:00Z"), millis("2026-11-03T14:00:00Z"), millis("2026-11-10T14:00:00Z")])
        #expect(instants.map { zone.format($0) } == ["2026-10-27 09:00", "2026-11-03 09:00", "2026-11-10 09:00"])
    }

    @Test("the same series shifts its UTC instant by an hour across the March change")
    func torontoSpringForward() throws {
        let zone = try SiteTimeZone("America/Toronto")
        let instants = try Recurrence(rule: .weekly, end: .until(date("2027-03-16"))).instants(from: wallClock("2027-03-02 09:00"), in: zone)
        // Clocks spring forward on Sunday 2027-03-14.
        #expect(instants == [millis("2027-03-02T14:00:00Z"), millis("2027-03-09T14:00:00Z"), millis("2027-03-16T13:00:00Z")])
    }

    @Test("Europe/Paris daily series across both changes keeps 08:30 local", arguments: [
        ("2026-03-28 08:30", ["2026-03-28T07:30:00Z", "2026-03-29T06:30:00Z", "2026-03-30T06:30:00Z"]),
        ("2026-10-24 08:30", ["2026-10-24T06:30:00Z", "2026-10-25T07:30:00Z", "2026-10-26T07:30:00Z"]),
    ])
    func parisDaily(first: String, expected: [String]) throws {
        let zone = try SiteTimeZone("Europe/Paris")
        let instants = try Recurrence(rule: .daily, end: .count(3)).instants(from: wallClock(first), in: zone)
        #expect(instants == expected.map(millis))
    }

    @Test("an occurrence in the spring-forward gap refuses the whole series with nonexistent-time")
    func gapRefused() throws {
        let zone = try SiteTimeZone("America/Toronto")
        #expect(clinicErrorCode {
            _ = try Recurrence(rule: .weekly, end: .count(3)).instants(from: wallClock("2027-03-07 02:30"), in: zone)
        } == "nonexistent-time")
    }

    @Test("every-2-weeks steps 14 days; --until is inclusive")
    func everyTwoWeeks() throws {
        let starts = try Recurrence(rule: .everyTwoWeeks, end: .until(date("2026-12-29"))).localStarts(from: wallClock("2026-12-01 10:00"))
        #expect(starts.map(\.date.description) == ["2026-12-01", "2026-12-15", "2026-12-29"])
    }

    @Test("bad counts and ranges are usage errors", arguments: [0, 201, -1])
    func badCount(count: Int) {
        #expect(clinicErrorCode { _ = try Recurrence(rule: .daily, end: .count(count)).localStarts(from: wallClock("2026-12-01 10:00")) } == "invalid-count")
    }

    @Test("--until before the first date is refused")
    func untilBeforeStart() {
        #expect(clinicErrorCode { _ = try Recurrence(rule: .daily, end: .until(date("2026-11-30"))).localStarts(from: wallClock("2026-12-01 10:00")) } == "invalid-range")
    }
}

@Suite("Overlap and booking rules")
struct BookingRulesTests {
    static let base: Int64 = 1_800_000_000_000
    static func span(_ startMinute: Int64, _ endMinute: Int64) -> TimeSpan {
        TimeSpan(start: base + startMinute * 60_000, end: base + endMinute * 60_000)
    }

    @Test("overlap is half-open", arguments: [
        ("touching after", span(0, 30), span(30, 60), false),
        ("touching before", span(30, 60), span(0, 30), false),
        ("containing", span(0, 60), span(15, 45), true),
        ("contained", span(15, 45), span(0, 60), true),
        ("identical", span(0, 30), span(0, 30), true),
        ("partial", span(0, 30), span(15, 45), true),
        ("disjoint", span(0, 30), span(45, 60), false),
        ("across midnight", span(23 * 60, 25 * 60), span(24 * 60, 24 * 60 + 30), true),
    ])
    func overlap(name: String, a: TimeSpan, b: TimeSpan, expected: Bool) {
        #expect(a.overlaps(b) == expected, "\(name)")
        #expect(b.overlaps(a) == expected, "\(name) (symmetric)")
    }

    @Test("the overlap window admits exactly the starts that can overlap")
    func window() {
        let requested = Self.span(60, 90)
        let window = OverlapWindow(for: requested, maxDurationMillis: 60 * 60_000)
        for startMinute in stride(from: Int64(-120), through: 180, by: 5) {
            for length in [Int64(15), 30, 60] {
                let existing = Self.span(startMinute, startMinute + length)
                if existing.overlaps(requested) { #expect(window.admits(start: existing.start), "start \(startMinute) len \(length)") }
            }
        }
        #expect(!window.admits(start: Self.span(0, 60).start))
        #expect(!window.admits(start: Self.span(90, 120).start))
    }

    @Test("working hours contain a booking only inside one range and outside time off")
    func withinHours() throws {
        let zone = try SiteTimeZone("America/Toronto")
        let hours = [WorkingHours(weekday: 2, startMinute: 8 * 60, endMinute: 12 * 60)]  // Tuesdays 08:00–12:00
        let tuesdayNine = millis("2026-12-01T14:00:00Z")
        let span = TimeSpan(start: tuesdayNine, end: tuesdayNine + 30 * 60_000)
        #expect(BookingRules.isWithinHours(span, hours: hours, timeOff: [], zone: zone))
        let late = TimeSpan(start: tuesdayNine + 180 * 60_000, end: tuesdayNine + 210 * 60_000)  // 12:00–12:30
        #expect(!BookingRules.isWithinHours(late, hours: hours, timeOff: [], zone: zone))
        let lastSlot = TimeSpan(start: tuesdayNine + 150 * 60_000, end: tuesdayNine + 180 * 60_000)  // 11:30–12:00
        #expect(BookingRules.isWithinHours(lastSlot, hours: hours, timeOff: [], zone: zone))
        let off = [TimeSpan(start: tuesdayNine + 15 * 60_000, end: tuesdayNine + 60 * 60_000)]
        #expect(!BookingRules.isWithinHours(span, hours: hours, timeOff: off, zone: zone))
        #expect(clinicErrorCode { try BookingRules.requireWithinHours(late, handle: "jdoe", hours: hours, timeOff: [], zone: zone) } == "outside-hours")
    }

    @Test("a scope counts only while its credential is valid")
    func scope() {
        let credentials = [Credential(scope: .dryNeedling, regulator: "OPPQ", number: "1", expires: date("2026-12-31"))]
        #expect(BookingRules.holds(.dryNeedling, credentials: credentials, on: date("2026-12-31")))
        #expect(!BookingRules.holds(.dryNeedling, credentials: credentials, on: date("2027-01-01")))
        #expect(!BookingRules.holds(.acupuncture, credentials: credentials, on: date("2026-06-01")))
        #expect(clinicErrorCode { try BookingRules.requireScope(.dryNeedling, handle: "x", credentials: credentials, on: date("2027-01-01")) } == "not-qualified")
        #expect(clinicErrorCode { try BookingRules.requireScope(nil, handle: "x", credentials: [], on: date("2027-01-01")) } == nil)
    }

    @Test("status transitions", arguments: [
        (AppointmentStatus.booked, AppointmentStatus.checkedIn, true),
        (.booked, .completed, true),
        (.booked, .noShow, true),
        (.checkedIn, .completed, true),
        (.cancelled, .completed, false),
        (.cancelled, .checkedIn, false),
        (.completed, .cancelled, false),
        (.noShow, .completed, false),
        (.checkedIn, .noShow, false),
    ])
    func transitions(from: AppointmentStatus, to: AppointmentStatus, allowed: Bool) {
        #expect((clinicErrorCode { _ = try from.transition(to: to) } == nil) == allowed)
        if !allowed { #expect(clinicErrorCode { _ = try from.transition(to: to) } == "invalid-transition") }
    }

    @Test("a cancel under 24 h notice is late")
    func lateCancel() {
        let start = Self.base
        #expect(CancellationPolicy.isLate(start: start, cancelledAt: start - 23 * 3_600_000))
        #expect(!CancellationPolicy.isLate(start: start, cancelledAt: start - 25 * 3_600_000))
        #expect(CancellationPolicy.isLate(start: start, cancelledAt: start + 60_000))
    }
}

@Suite("Free-slot search")
struct SlotSearchTests {
    @Test("slots lie on the grid, inside hours, clear of bookings and time off, with a free room")
    func freeStarts() throws {
        let zone = try SiteTimeZone("America/Toronto")
        let day = date("2026-12-01")  // a Tuesday
        let hours = [WorkingHours(weekday: 2, startMinute: 9 * 60, endMinute: 11 * 60)]
        let nine = millis("2026-12-01T14:00:00Z")
        let minute: Int64 = 60_000
        let busy = [TimeSpan(start: nine + 30 * minute, end: nine + 60 * minute)]        // 09:30–10:00
        let roomA = [TimeSpan(start: nine, end: nine + 120 * minute)]                    // room A busy all morning
        let roomB = [TimeSpan(start: nine + 90 * minute, end: nine + 120 * minute)]      // room B busy 10:30–11:00
        let slots = SlotSearch.freeStarts(durationMinutes: 30, gridMinutes: 15, days: [day, day.adding(days: 1)], zone: zone,
                                          hours: hours, timeOff: [], practitionerBusy: busy, roomBusy: [roomA, roomB],
                                          notBefore: 0, qualifiedOn: { _ in true }, limit: 20)
        #expect(slots.map { zone.format($0.start) } == ["2026-12-01 09:00", "2026-12-01 10:00"])
        #expect(slots.allSatisfy { $0.roomIndex == 1 })
        let limited = SlotSearch.freeStarts(durationMinutes: 30, gridMinutes: 15, days: [day], zone: zone, hours: hours, timeOff: [],
                                            practitionerBusy: [], roomBusy: [[]], notBefore: nine + 20 * minute,
                                            qualifiedOn: { _ in true }, limit: 2)
        #expect(limited.map { zone.format($0.start) } == ["2026-12-01 09:30", "2026-12-01 09:45"])
        let unqualified = SlotSearch.freeStarts(durationMinutes: 30, gridMinutes: 15, days: [day], zone: zone, hours: hours, timeOff: [],
                                                practitionerBusy: [], roomBusy: [[]], notBefore: 0, qualifiedOn: { _ in false }, limit: 5)
        #expect(unqualified.isEmpty)
    }
}
