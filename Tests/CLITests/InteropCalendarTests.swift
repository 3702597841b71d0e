import Foundation
import Testing

/// The Mondays from 19 October to 30 November 2026: the November DST change falls inside.
private let autumnMondays = ["2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]

@Suite("iCalendar export through the real binary, checked with icalendar + recurring-ical-events")
struct InteropCalendarTests {
    /// jdoe's weekly series of six across the November change: one occurrence cancelled, one moved
    /// an hour, one handed to mroy; plus a cancelled single and a booked single.
    func autumnSite() throws -> (ClinicProcess, series: [String]) {
        var clinic = try schedulingSite()
        clinic.now = "2026-10-01T12:00:00Z"
        let series = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                 "--at", "2026-10-20 09:00", "--room", "Bed 1", "--repeat", "weekly", "--count", "6"]))
            .compactMap { $0["id"] as? String }
        try #require(series.count == 6)
        try clinic.ok(["cancel", series[3], "--reason", "away"])
        try clinic.ok(["reschedule", series[2], "--at", "2026-11-03 10:00"])
        try clinic.ok(["reschedule", series[4], "--at", "2026-11-17 09:00", "--with", "mroy"])
        let single = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "dn-30",
                                                              "--at", "2026-11-04 13:00"])).first?["id"] as? String)
        try clinic.ok(["cancel", single])
        try clinic.ok(["book", "--patient", "MTL-000003", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-05 14:00"])
        return (clinic, series)
    }

    func validate(_ clinic: ClinicProcess, file: String, expected: [[String: Any]], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let expectation = scratchFile(clinic, "expected-\(UUID().uuidString).json")
        try writeJSON(["zone": "America/Toronto", "from": "2026-09-01T00:00:00Z", "until": "2027-03-01T00:00:00Z",
                       "forbidden": ["Ana", "Silva", "Hélène", "Côté", "Quasimodo", "Zéphyrin"], "appointments": expected], to: expectation)
        let result = try runPython("validate_ics.py", [file, expectation], sourceLocation: sourceLocation)
        #expect(result.status == 0, "validate_ics.py: \(result.stderr)", sourceLocation: sourceLocation)
        return pythonSummary(result.stdout)
    }

    @Test("a practitioner's calendar expands to exactly their appointments across the DST change")
    func practitionerCalendar() throws {
        let (clinic, _) = try autumnSite()
        let file = scratchFile(clinic, "jdoe.ics")
        let exported = try clinic.ok(["export", "ics", "--with", "jdoe", "--to", file])
        #expect(exported["appointments"] as? Int == 7)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for needle in ["RRULE:FREQ=WEEKLY;COUNT=6", "EXDATE;TZID=America/Toronto:20261110T090000", "EXDATE;TZID=America/Toronto:20261117T090000",
                       "RECURRENCE-ID;TZID=America/Toronto:20261103T090000", "STATUS:CANCELLED", "BEGIN:VTIMEZONE", "BEGIN:DAYLIGHT",
                       "BEGIN:STANDARD", "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        let summary = try validate(clinic, file: file, expected: try weeksOfAppointments(clinic, mondays: autumnMondays, with: "jdoe"))
        #expect(summary["occurrences"] as? Int == 5)
        #expect(summary["rrules"] as? Int == 1 && summary["overrides"] as? Int == 1 && summary["exdates"] as? Int == 2)
    }

    @Test("the colleague's and the room's calendars also match, including the occurrence handed over")
    func otherCalendars() throws {
        let (clinic, _) = try autumnSite()
        let mroy = scratchFile(clinic, "mroy.ics")
        try clinic.ok(["export", "ics", "--with", "mroy", "--to", mroy])
        let mroySummary = try validate(clinic, file: mroy, expected: try weeksOfAppointments(clinic, mondays: autumnMondays, with: "mroy"))
        #expect(mroySummary["occurrences"] as? Int == 1)
        let room = scratchFile(clinic, "bed1.ics")
        try clinic.ok(["export", "ics", "--room", "Bed 1", "--to", room])
        let everyone = try weeksOfAppointments(clinic, mondays: autumnMondays).filter { $0["room"] as? String == "Bed 1" }
        _ = try validate(clinic, file: room, expected: everyone)
    }

    @Test("UIDs stay, SEQUENCE rises with every change and a cancellation is STATUS:CANCELLED")
    func sequence() throws {
        let clinic = try schedulingSite()
        let id = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                          "--at", "2026-12-01 09:00"])).first?["id"] as? String)
        let file = scratchFile(clinic, "seq.ics")
        func export() throws -> String {
            try clinic.ok(["export", "ics", "--with", "jdoe", "--from", "2026-12-01", "--until", "2026-12-01", "--to", file, "--force"])
            return try String(contentsOfFile: file, encoding: .utf8)
        }
        #expect(try export().contains("UID:\(id)\r\n"))
        #expect(try export().contains("SEQUENCE:0\r\n"))
        try clinic.ok(["reschedule", id, "--at", "2026-12-01 10:00"])
        let moved = try export()
        #expect(moved.contains("SEQUENCE:1\r\n") && moved.contains("DTSTART;TZID=America/Toronto:20261201T100000"))
        try clinic.ok(["cancel", id])
        let cancelled = try export()
        #expect(cancelled.contains("UID:\(id)\r\n") && cancelled.contains("SEQUENCE:2\r\n") && cancelled.contains("STATUS:CANCELLED"))
    }

    @Test("bad requests are refused with their exit codes and write no file", arguments: [
        (["--with", "jdoe", "--room", "Bed 1"], Int32(64), "usage"),
        (["--with", "nobody"], 1, "not-found"),
        (["--room", "Attic"], 1, "not-found"),
        (["--with", "jdoe", "--from", "2026-12-10", "--until", "2026-12-01"], 64, "invalid-range"),
        (["--with", "jdoe", "--from", "2026-13-01"], 64, "invalid-date"),
    ])
    func refusals(arguments: [String], status: Int32, code: String) throws {
        let clinic = try schedulingSite()
        let file = scratchFile(clinic, "refused.ics")
        let result = try clinic.run(["export", "ics", "--to", file, "--json"] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.errorCode == code, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test("an unwritable destination is an I/O error (74)")
    func unwritable() throws {
        let clinic = try schedulingSite()
        let result = try clinic.run(["export", "ics", "--with", "jdoe", "--to", "/nonexistent-folder/x.ics", "--json"])
        #expect(result.status == 74 && result.errorCode == "unwritable")
    }
}
