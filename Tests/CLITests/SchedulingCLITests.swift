import Foundation
import Testing

/// A small site: two physiotherapists (one with dry needling), an acupuncturist, two beds, hours Mon–Fri.
func schedulingSite(_ backend: Backend = .sqlite) throws -> ClinicProcess {
    let clinic = ClinicProcess(backend: backend)
    try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
    try clinic.ok(["room", "add", "Bed 1"])
    try clinic.ok(["room", "add", "Bed 2"])
    try clinic.ok(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy"])
    try clinic.ok(["staff", "add", "mroy", "--name", "Marc Roy", "--discipline", "physiotherapy"])
    try clinic.ok(["staff", "add", "desk", "--name", "Front Desk", "--role", "front-desk"])
    try clinic.ok(["staff", "credential", "jdoe", "--scope", "dry-needling", "--regulator", "OPPQ", "--number", "1", "--expires", "2026-12-15"])
    for handle in ["jdoe", "mroy"] {
        for day in ["mon", "tue", "wed", "thu", "fri"] {
            try clinic.ok(["staff", "hours", handle, "--day", day, "--from", "08:00", "--to", "16:00"])
        }
    }
    try clinic.ok(["service", "add", "dn-30", "--name", "Dry needling", "--duration", "30m", "--discipline", "physiotherapy", "--requires", "dry-needling"])
    try clinic.ok(["service", "add", "physio-30", "--name", "Physio", "--duration", "30m", "--discipline", "physiotherapy"])
    for (first, last) in [("Ana", "Silva"), ("Hélène", "Côté"), ("Zéphyrin", "Quasimodo")] {
        try clinic.ok(["patient", "add", "--first", first, "--last", last, "--dob", "1980-04-02"])
    }
    return clinic
}

func appointments(_ json: [String: Any]) -> [[String: Any]] {
    json["appointments"] as? [[String: Any]] ?? []
}

@Suite("Scheduling through the real binary")
struct SchedulingCLITests {
    @Test("book prints the docs/CLI.md JSON shape with UTC instants", arguments: Backend.allCases)
    func bookShape(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        let booked = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30", "--at", "2026-12-01 09:00"]))
        #expect(booked.count == 1)
        let first = try #require(booked.first)
        #expect(first["start"] as? String == "2026-12-01T14:00:00Z")
        #expect(first["end"] as? String == "2026-12-01T14:30:00Z")
        #expect(first["practitioner"] as? String == "jdoe")
        #expect(first["room"] as? String == "Bed 1")
        #expect(first["patient"] as? String == "MTL-000001")
        #expect(first["status"] as? String == "booked")
        #expect((first["id"] as? String)?.count == 36)
    }

    @Test("every refusal has its exit code and error code, and writes nothing", arguments: Backend.allCases)
    func refusals(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00", "--room", "Bed 1"])
        let cases: [([String], Int32, String)] = [
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:15"], 1, "slot-taken"),
            (["--patient", "MTL-000001", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:00"], 1, "slot-taken"),
            (["--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:00", "--room", "Bed 1"], 1, "slot-taken"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 07:30"], 1, "outside-hours"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-05 10:00"], 1, "outside-hours"),
            (["--patient", "MTL-000002", "--with", "mroy", "--service", "dn-30", "--at", "2026-12-01 10:00"], 1, "not-qualified"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "dn-30", "--at", "2026-12-16 10:00"], 1, "not-qualified"),
            (["--patient", "MTL-000002", "--with", "desk", "--service", "physio-30", "--at", "2026-12-01 10:00"], 1, "not-a-clinician"),
            (["--patient", "MTL-000099", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00"], 1, "not-found"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 25:00"], 64, "invalid-time"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2027-03-14 02:30"], 64, "nonexistent-time"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00", "--duration", "soon"], 64, "invalid-duration"),
            (["--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00", "--repeat", "weekly"], 64, "usage"),
        ]
        for (arguments, status, code) in cases {
            let result = try clinic.run(["book"] + arguments + ["--json"])
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.errorCode == code, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Quasimodo") && !result.stderr.contains("Hélène"))
        }
        let week = appointments(try clinic.ok(["schedule", "--week", "2026-12-01"]))
        #expect(week.count == 1)
    }

    @Test("back-to-back appointments are allowed; the first free room is chosen", arguments: Backend.allCases)
    func backToBackAndRooms(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00"])
        let next = appointments(try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:30"]))
        #expect(next.first?["room"] as? String == "Bed 1")
        let parallel = appointments(try clinic.ok(["book", "--patient", "MTL-000003", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:30"]))
        #expect(parallel.first?["room"] as? String == "Bed 2")
        let full = try clinic.run(["book", "--patient", "MTL-000001", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:45", "--json"])
        #expect(full.status == 1)
    }

    @Test("a weekly series keeps 09:00 local across the November change; one clash refuses it all, naming every date", arguments: Backend.allCases)
    func series(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-11-10 09:00"])
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-11-17 09:15"])
        let refused = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-10-27 09:00",
                                      "--repeat", "weekly", "--count", "5", "--json"])
        #expect(refused.status == 1)
        #expect(refused.errorCode == "slot-taken")
        #expect(refused.stderr.contains("2026-11-10 09:00") && refused.stderr.contains("2026-11-17 09:00"))
        #expect(appointments(try clinic.ok(["schedule", "--week", "2026-10-27"])).isEmpty)

        let booked = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "mroy", "--service", "physio-30",
                                                 "--at", "2026-10-27 09:00", "--repeat", "weekly", "--until", "2026-11-10"]))
        #expect(booked.compactMap { $0["start"] as? String } == ["2026-10-27T13:00:00Z", "2026-11-03T14:00:00Z", "2026-11-10T14:00:00Z"])
        #expect(booked.compactMap { $0["local_start"] as? String } == ["2026-10-27 09:00", "2026-11-03 09:00", "2026-11-10 09:00"])

        let middle = try #require(booked[1]["id"] as? String)
        let cancelled = appointments(try clinic.ok(["cancel", String(middle.suffix(12)), "--series", "--reason", "moving away"]))
        #expect(cancelled.count == 2)
        #expect(cancelled.allSatisfy { $0["status"] as? String == "cancelled" })
        let left = appointments(try clinic.ok(["schedule", "--date", "2026-10-27"]))
        #expect(left.first?["status"] as? String == "booked")
    }

    @Test("lifecycle: check-in, complete, late cancel, no-show, and refused transitions", arguments: Backend.allCases)
    func lifecycle(backend: Backend) throws {
        var clinic = try schedulingSite(backend)
        clinic.now = "2026-12-01T13:00:00Z"  // 08:00 local on the day
        func book(_ at: String, _ patient: String) throws -> String {
            let made = appointments(try clinic.ok(["book", "--patient", patient, "--with", "jdoe", "--service", "physio-30", "--at", at]))
            return try #require(made.first?["id"] as? String)
        }
        let a = try book("2026-12-01 09:00", "MTL-000001")
        let b = try book("2026-12-01 10:00", "MTL-000002")
        let c = try book("2026-12-03 10:00", "MTL-000003")
        #expect(appointments(try clinic.ok(["checkin", a])).first?["status"] as? String == "checked-in")
        #expect(appointments(try clinic.ok(["complete", a])).first?["status"] as? String == "completed")
        let late = appointments(try clinic.ok(["cancel", b, "--reason", "ill"])).first
        #expect(late?["late_cancel"] as? Bool == true)
        let early = appointments(try clinic.ok(["cancel", c])).first
        #expect(early?["late_cancel"] as? Bool == false)
        let refused = try clinic.run(["complete", b, "--json"])
        #expect(refused.status == 1 && refused.errorCode == "invalid-transition")
        #expect(try clinic.run(["noshow", a, "--json"]).errorCode == "invalid-transition")
        #expect(try clinic.run(["checkin", "zz", "--json"]).status == 64)
        #expect(try clinic.run(["checkin", "0123456789ab", "--json"]).errorCode == "not-found")
        // The cancelled slot is free again.
        _ = try book("2026-12-01 10:00", "MTL-000003")
    }

    @Test("reschedule runs the same checks, ignoring the appointment itself", arguments: Backend.allCases)
    func reschedule(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        let first = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00"])).first?["id"] as? String)
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00"])
        let moved = appointments(try clinic.ok(["reschedule", first, "--at", "2026-12-01 09:15"])).first
        #expect(moved?["start"] as? String == "2026-12-01T14:15:00Z")
        let clash = try clinic.run(["reschedule", first, "--at", "2026-12-01 09:45", "--json"])
        #expect(clash.status == 1 && clash.errorCode == "slot-taken")
        let elsewhere = appointments(try clinic.ok(["reschedule", first, "--at", "2026-12-01 10:00", "--with", "mroy"])).first
        #expect(elsewhere?["practitioner"] as? String == "mroy")
        #expect(elsewhere?["room"] as? String == "Bed 2")
    }

    @Test("slots lists free starts on a 15-minute grid, sorted, limited", arguments: Backend.allCases)
    func slots(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 08:15"])
        let json = try clinic.ok(["slots", "--service", "dn-30", "--with", "jdoe", "--from", "2026-12-01", "--limit", "4"])
        let starts = (json["slots"] as? [[String: Any]] ?? []).compactMap { $0["local_start"] as? String }
        #expect(starts == ["2026-12-01 08:45", "2026-12-01 09:00", "2026-12-01 09:15", "2026-12-01 09:30"])
        let nobody = try clinic.ok(["slots", "--service", "dn-30", "--from", "2026-12-16", "--days", "3"])
        #expect((nobody["slots"] as? [Any])?.isEmpty == true)
    }

    @Test("the schedule grid shows chart numbers and services in the site's zone", arguments: Backend.allCases)
    func scheduleGrid(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "dn-30", "--at", "2026-12-01 09:00"])
        let text = try clinic.run(["schedule", "--date", "2026-12-01"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("jdoe"))
        #expect(text.stdout.contains("09:00") && text.stdout.contains("MTL-000002 dn-30"))
        #expect(text.stdout.contains("Hélène Côté"), "the desk sees the name: \(text.stdout)")
    }

    @Test("20 processes booking the same slot at once: exactly one wins, 19 get slot-taken, none is locked out", arguments: Backend.allCases)
    func race(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        for index in 4...23 {
            try clinic.ok(["patient", "add", "--first", "P\(index)", "--last", "Race", "--dob", "1990-01-01"])
        }
        let launched = try (4...23).map { index in
            try clinic.start(["book", "--patient", String(format: "MTL-%06d", index), "--with", "jdoe", "--service", "physio-30",
                              "--at", "2026-12-02 11:00", "--json"])
        }
        var statuses: [Int32] = []
        var codes: [String?] = []
        for (process, out, err) in launched {
            _ = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            statuses.append(process.terminationStatus)
            codes.append(ClinicProcess.Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self)).errorCode)
        }
        #expect(statuses.filter { $0 == 0 }.count == 1)
        #expect(statuses.filter { $0 == 1 }.count == 19)
        #expect(codes.compactMap { $0 }.allSatisfy { $0 == "slot-taken" }, "\(codes)")
        #expect(codes.filter { $0 == "slot-taken" }.count == 19, "every loser is told slot-taken, none a database error: \(codes)")
        #expect(appointments(try clinic.ok(["schedule", "--date", "2026-12-02"])).count == 1)
    }
}
