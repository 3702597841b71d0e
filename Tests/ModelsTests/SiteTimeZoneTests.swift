import Models
import Testing

/// The instant of an ISO-8601 text, for expectations written as humans read them.
func millis(_ iso: String) -> Int64 {
    guard let date = ISOInstant.parse(iso) else {
        Issue.record("test fixture \(iso) is not an instant")
        return 0
    }
    return Instant.millis(date)
}

/// A wall-clock time the test knows to be well-formed.
func wallClock(_ text: String) -> LocalDateTime {
    guard let local = LocalDateTime.parse(text) else {
        Issue.record("test fixture \(text) is not a wall-clock time")
        return LocalDateTime(date: CivilDate(daysSinceEpoch: 0), minuteOfDay: 0)
    }
    return local
}

@Suite("Site time zones")
struct SiteTimeZoneTests {
    @Test("unknown zones are refused with invalid-timezone", arguments: [
        "Mars/Olympus", "America/Toront", "Toronto", "", "Not a zone", "America/Toronto ",
    ])
    func unknownZone(identifier: String) {
        #expect(clinicErrorCode { _ = try SiteTimeZone(identifier) } == "invalid-timezone")
    }

    @Test("known zones are accepted", arguments: ["America/Toronto", "Europe/Paris", "UTC", "America/St_Johns", "Asia/Kolkata"])
    func knownZone(identifier: String) throws {
        #expect(try SiteTimeZone(identifier).identifier == identifier)
    }

    @Test("wall-clock times become instants with the offset in force that day", arguments: [
        ("America/Toronto", "2026-01-15 09:00", "2026-01-15T14:00:00Z", "-05:00"),
        ("America/Toronto", "2026-07-15 09:00", "2026-07-15T13:00:00Z", "-04:00"),
        ("America/Toronto", "2026-12-01 09:00", "2026-12-01T14:00:00Z", "-05:00"),
        ("America/Toronto", "2026-03-08 03:00", "2026-03-08T07:00:00Z", "-04:00"),
        ("America/Toronto", "2026-03-08 01:59", "2026-03-08T06:59:00Z", "-05:00"),
        ("America/Toronto", "2026-11-01 02:00", "2026-11-01T07:00:00Z", "-05:00"),
        ("Europe/Paris", "2026-01-15 09:00", "2026-01-15T08:00:00Z", "+01:00"),
        ("Europe/Paris", "2026-07-15 09:00", "2026-07-15T07:00:00Z", "+02:00"),
        ("Asia/Kolkata", "2026-07-15 09:00", "2026-07-15T03:30:00Z", "+05:30"),
        ("UTC", "2026-07-15 09:00", "2026-07-15T09:00:00Z", "+00:00"),
    ])
    func wallClockToInstant(zone identifier: String, local: String, instant: String, offset: String) throws {
        let zone = try SiteTimeZone(identifier)
        let expected = millis(instant)
        #expect(zone.instant(wallClock(local)) == expected)
        #expect(zone.offsetText(atMillis: expected) == offset)
        #expect(zone.format(expected) == local)
        #expect(try zone.parseTime(local) == expected)
    }

    @Test("times in the spring-forward gap do not exist", arguments: [
        ("America/Toronto", "2026-03-08 02:00"), ("America/Toronto", "2026-03-08 02:30"), ("America/Toronto", "2026-03-08 02:59"),
        ("Europe/Paris", "2026-03-29 02:30"),
    ])
    func springForwardGap(zone identifier: String, local: String) throws {
        let zone = try SiteTimeZone(identifier)
        #expect(zone.instant(wallClock(local)) == nil)
        #expect(clinicErrorCode { _ = try zone.requireInstant(wallClock(local)) } == "nonexistent-time")
        #expect(clinicErrorCode { _ = try zone.parseTime(local) } == "nonexistent-time")
    }

    @Test("an ambiguous fall-back time means its first occurrence", arguments: [
        ("America/Toronto", "2026-11-01 01:30", "2026-11-01T05:30:00Z"),
        ("America/Toronto", "2026-11-01 01:00", "2026-11-01T05:00:00Z"),
        ("America/Toronto", "2026-11-01 01:59", "2026-11-01T05:59:00Z"),
        ("Europe/Paris", "2026-10-25 02:30", "2026-10-25T00:30:00Z"),
    ])
    func fallBackFirstOccurrence(zone identifier: String, local: String, instant: String) throws {
        let zone = try SiteTimeZone(identifier)
        #expect(zone.instant(wallClock(local)) == millis(instant))
        // The second occurrence, an hour later, reads as the same wall-clock time.
        #expect(zone.format(millis(instant) + 3_600_000) == local)
    }

    @Test("every quarter hour of a year round-trips between wall clock and instant")
    func roundTripOverAYear() throws {
        let zone = try SiteTimeZone("America/Toronto")
        var failures = 0
        var instant = millis("2026-01-01T05:00:00Z")
        let end = millis("2027-01-01T05:00:00Z")
        while instant < end {
            let local = zone.local(instant)
            guard let back = zone.instant(local) else { failures += 1; instant += 900_000; continue }
            // Back is the instant itself, or an hour earlier for the repeated hour of fall-back.
            if back != instant && back != instant - 3_600_000 { failures += 1 }
            instant += 900_000
        }
        #expect(failures == 0)
    }

    @Test("--at also takes ISO-8601 with an offset or Z")
    func parseTimeISO() throws {
        let zone = try SiteTimeZone("America/Toronto")
        #expect(try zone.parseTime("2026-12-01T09:00:00-05:00") == millis("2026-12-01T14:00:00Z"))
        #expect(try zone.parseTime("2026-12-01T14:00Z") == millis("2026-12-01T14:00:00Z"))
        #expect(clinicErrorCode { _ = try zone.parseTime("tomorrow 9am") } == "invalid-time")
        #expect(clinicErrorCode { _ = try zone.parseTime("2026-12-01 25:00") } == "invalid-time")
    }

    @Test("a day starts at its first existing minute")
    func startOfDay() throws {
        let zone = try SiteTimeZone("America/Toronto")
        #expect(zone.startOfDay(date("2026-12-01")) == millis("2026-12-01T05:00:00Z"))
        #expect(zone.startOfDay(date("2026-07-01")) == millis("2026-07-01T04:00:00Z"))
        let santiago = try SiteTimeZone("America/Santiago")
        // Chile springs forward at midnight: 2026-09-06 begins at 01:00 local.
        #expect(santiago.format(santiago.startOfDay(date("2026-09-06"))) == "2026-09-06 01:00")
    }
}
