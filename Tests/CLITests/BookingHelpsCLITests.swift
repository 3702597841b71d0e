import Foundation
import Testing

/// Issue 27: booking that helps the desk. Series that skip their clashes, days a site is closed,
/// time off over bookings, and arrivals recorded before their day.
@Suite("Booking that helps, through the real binary")
struct BookingHelpsCLITests {
    // MARK: Series with clashes

    @Test("a series with clashes is refused whole, one clashing date a line; --skip-clashes books the free dates and lists the others")
    func skipClashes() throws {
        let clinic = try schedulingSite()
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-08 09:00"])
        try clinic.ok(["book", "--patient", "MTL-000003", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-15 09:15"])
        let series = ["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00",
                      "--repeat", "weekly", "--count", "4"]

        let refused = try clinic.run(series)
        #expect(refused.status == 1 && refused.stderr.hasSuffix("[slot-taken]\n"), "\(refused.stderr)")
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 3, "\(refused.stderr)")
        #expect(lines.contains { $0.hasPrefix("  2026-12-08 09:00 (slot-taken)") } && lines.contains { $0.hasPrefix("  2026-12-15 09:00 (slot-taken)") },
                "\(refused.stderr)")
        #expect(appointments(try clinic.ok(["schedule", "--date", "2026-12-01"])).isEmpty)

        let json = try clinic.ok(series + ["--skip-clashes"])
        #expect(appointments(json).compactMap { $0["local_start"] as? String } == ["2026-12-01 09:00", "2026-12-22 09:00"])
        let skipped = json["skipped"] as? [[String: Any]] ?? []
        #expect(skipped.compactMap { $0["date"] as? String } == ["2026-12-08", "2026-12-15"])
        #expect(skipped.allSatisfy { $0["code"] as? String == "slot-taken" && ($0["message"] as? String)?.isEmpty == false })

        let human = try clinic.run(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-08 09:00",
                                    "--repeat", "daily", "--count", "2", "--skip-clashes"])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("Skipped 1 clashing date:") && human.stdout.contains("2026-12-08 09:00 [slot-taken]"), "\(human.stdout)")

        #expect(try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-02 09:00",
                                "--skip-clashes", "--json"]).status == 64)
        let allClash = try clinic.run(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-08 09:00",
                                       "--repeat", "weekly", "--count", "2", "--skip-clashes", "--json"])
        #expect(allClash.status == 1 && allClash.errorCode == "slot-taken", "a series with no free date books nothing: \(allClash.stderr)")
    }

    // MARK: Closed days

    @Test("a closed day: book and reschedule refused (closed), no slots, the schedule and site show say so, --remove reopens")
    func closedDay() throws {
        let clinic = try schedulingSite()
        let closed = try clinic.ok(["site", "closed", "--date", "2026-12-25", "--reason", "Christmas"])
        #expect(closed["closed"] as? Bool == true && closed["reason"] as? String == "Christmas" && closed["site"] as? String == "MTL")

        let book = ["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-25 09:00", "--json"]
        let refused = try clinic.run(book)
        #expect(refused.status == 1 && refused.errorCode == "closed", "\(refused.stderr)")
        #expect(jsonError(refused.stderr)?.message.contains("2026-12-25") == true)

        let made = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-24 09:00"]))
        let id = try #require(made.first?["id"] as? String)
        #expect(try clinic.run(["reschedule", id, "--at", "2026-12-25 10:00", "--json"]).errorCode == "closed")

        let series = try clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-24 11:00",
                                    "--repeat", "daily", "--count", "2", "--skip-clashes"])
        #expect((series["skipped"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["closed"])

        let slots = try clinic.ok(["slots", "--service", "physio-30", "--from", "2026-12-24", "--days", "2", "--limit", "200"])["slots"] as? [[String: Any]] ?? []
        #expect(!slots.isEmpty)
        #expect(!slots.contains { ($0["local_start"] as? String ?? ($0["start"] as? String ?? "")).hasPrefix("2026-12-25") })
        #expect(!slots.contains { ($0["start"] as? String ?? "").hasPrefix("2026-12-25T1") })

        let schedule = try clinic.ok(["schedule", "--date", "2026-12-25"])
        #expect((schedule["closures"] as? [[String: Any]])?.first?["reason"] as? String == "Christmas")
        let grid = try clinic.run(["schedule", "--week", "2026-12-21"])
        #expect(grid.stdout.contains("MTL is closed on 2026-12-25 (Christmas)."), "\(grid.stdout)")
        let site = try clinic.ok(["site", "show"])
        #expect((site["closures"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2026-12-25"])
        #expect(try clinic.run(["site", "show"]).stdout.contains("Closed     2026-12-25 (Christmas)"))

        #expect(try clinic.run(["site", "closed", "--date", "2026-12-26", "--remove", "--json"]).errorCode == "not-found")
        try clinic.ok(["site", "closed", "--date", "2026-12-25", "--remove"])
        #expect(try clinic.run(book).status == 0)
        #expect((try clinic.ok(["site", "show"])["closures"] as? [[String: Any]])?.isEmpty == true)
        #expect(try clinic.run(["site", "closed", "--date", "2026-12-25", "--as", "desk", "--json"]).errorCode == "forbidden")
    }

    @Test("two sites closing one site on one day make one row; reopening and closing again travel; the sites converge")
    func closuresSync() throws {
        let (a, b, c) = try threeSites()
        try exchangeAll([a, b, c])
        try a.clinic.ok(["site", "closed", "--date", "2026-12-25", "--reason", "Noël"])
        try b.clinic.ok(["site", "closed", "--date", "2026-12-25", "--site", "MTL", "--reason", "Christmas", "--as", "qcadmin"])
        try b.clinic.ok(["site", "closed", "--date", "2026-12-26", "--as", "qcadmin"])
        try exchangeAll([a, b, c])
        try exchangeAll([a, b, c])
        let digests = try [a, b, c].map { try $0.digest() }
        #expect(Set(digests).count == 1, "\(digests)")
        let atC = try c.clinic.ok(["schedule", "--date", "2026-12-25", "--site", "MTL", "--as", "lavadmin"])["closures"] as? [[String: Any]] ?? []
        #expect(atC.count == 1)
        let atQC = try b.clinic.ok(["site", "show", "--as", "qcadmin"])["closures"] as? [[String: Any]] ?? []
        #expect(atQC.compactMap { $0["date"] as? String } == ["2026-12-26"])

        // Reopened at QC, closed again at MTL later: the last writer wins everywhere.
        try b.clinic.ok(["site", "closed", "--date", "2026-12-25", "--site", "MTL", "--remove", "--as", "qcadmin"])
        try exchangeAll([a, b, c])
        #expect(try a.clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-25 09:00"]).status == 0)
        try a.clinic.ok(["site", "closed", "--date", "2026-12-25", "--reason", "Noël"])
        try exchangeAll([a, b, c])
        try exchangeAll([a, b, c])
        #expect(Set(try [a, b, c].map { try $0.digest() }).count == 1)
        let again = try c.clinic.ok(["schedule", "--date", "2026-12-25", "--site", "MTL", "--as", "lavadmin"])["closures"] as? [[String: Any]] ?? []
        #expect(again.first?["reason"] as? String == "Noël")
    }

    // MARK: Time off over bookings

    @Test("time off over booked appointments is refused (has-bookings) listing them, unless --force, which records it and lists them")
    func timeOffOverBookings() throws {
        let clinic = try schedulingSite()
        let made = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-24 09:00"]))
        let id = try #require(made.first?["id"] as? String)
        let timeOff = ["staff", "timeoff", "jdoe", "--from", "2026-12-24 00:00", "--until", "2026-12-27 00:00"]

        let refused = try clinic.run(timeOff + ["--json"])
        #expect(refused.status == 1 && refused.errorCode == "has-bookings", "\(refused.stderr)")
        let message = jsonError(refused.stderr)?.message ?? ""
        #expect(message.contains(String(id.suffix(8))) && message.contains("2026-12-24 09:00") && message.contains("--force"), "\(message)")
        #expect(!message.contains("Silva"))
        // Nothing was recorded: jdoe can still be booked that day.
        #expect(try clinic.run(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-24 10:00"]).status == 0)

        let forced = try clinic.ok(timeOff + ["--force"])
        #expect((forced["bookings"] as? [[String: Any]])?.count == 2)
        #expect(try clinic.run(["staff", "timeoff", "jdoe", "--from", "2026-12-24 00:00", "--until", "2026-12-27 00:00", "--force"])
            .stdout.contains("Still booked in that time"))
        let after = try clinic.run(["book", "--patient", "MTL-000003", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-24 11:00", "--json"])
        #expect(after.errorCode == "outside-hours")
        // --to stays an alias of --until; a span over no bookings needs no --force.
        let plain = try clinic.ok(["staff", "timeoff", "mroy", "--from", "2026-12-24 00:00", "--to", "2026-12-25 00:00"])
        #expect((plain["bookings"] as? [[String: Any]])?.isEmpty == true)
        #expect(try clinic.run(["staff", "timeoff", "--help"]).stdout.contains("--force"))
    }

    // MARK: Arrivals before their day

    @Test("checkin and noshow before the appointment's day at its site are refused (too-early); on the day they work")
    func tooEarly() throws {
        var clinic = try schedulingSite()
        let made = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-11-24 09:00"]))
        let id = try #require(made.first?["id"] as? String)
        for command in ["checkin", "noshow"] {
            let result = try clinic.run([command, id, "--json"])
            #expect(result.status == 1 && result.errorCode == "too-early", "\(command): \(result.stderr)")
        }
        // 22:00 on the 23rd in Toronto is already the 24th in UTC: still too early at the site.
        clinic.now = "2026-11-24T03:00:00Z"
        #expect(try clinic.run(["checkin", id, "--json"]).errorCode == "too-early")
        clinic.now = "2026-11-24T13:00:00Z"
        #expect(appointments(try clinic.ok(["checkin", id])).first?["status"] as? String == "checked-in")
    }
}
