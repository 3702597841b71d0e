import Foundation
import Testing

/// A chain of three sites (Montréal and Québec on Toronto time, Vancouver on Pacific time) that
/// exchange logs and stay three sites: each keeps its own rooms, hours and bookings.
@Suite("A network of sites through the real binary")
struct SitesCLITests {
    /// MTL with a clinician, a room, a service and a patient; QC and VAN empty; all trusting each other.
    static func chain() throws -> (mtl: SyncSite, qc: SyncSite, van: SyncSite) {
        let mtl = try syncSite(code: "MTL", name: "Montréal", admin: "nbergeron")
        let qc = try syncSite(code: "QC", name: "Québec", admin: "qgagnon")
        let van = try syncSite(code: "VAN", name: "Vancouver", admin: "vlee", zone: "America/Vancouver")
        try trustPairwise([mtl, qc, van])
        try mtl.clinic.ok(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy"])
        try mtl.clinic.ok(["staff", "hours", "jdoe", "--day", "tue", "--from", "08:00", "--until", "16:00"])
        try mtl.clinic.ok(["room", "add", "Bed 1"])
        try mtl.clinic.ok(["service", "add", "physio-30", "--name", "Physio", "--duration", "30m", "--discipline", "physiotherapy"])
        try mtl.clinic.ok(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02"])
        return (mtl, qc, van)
    }

    static func rooms(_ site: SyncSite, _ extra: [String] = []) throws -> [[String: Any]] {
        try site.clinic.ok(["room", "list"] + extra)["rooms"] as? [[String: Any]] ?? []
    }

    @Test("after Québec imports Montréal's log, Québec adds its own Bed 1, lists only its rooms and books in them")
    func roomsStayWithTheirSite() throws {
        let (mtl, qc, _) = try Self.chain()
        try send(mtl, qc)
        let added = try qc.clinic.ok(["room", "add", "Bed 1"])
        #expect(added["site"] as? String == "QC")
        #expect(try Self.rooms(qc).map { $0["site"] as? String } == ["QC"])
        #expect(try Self.rooms(qc, ["--site", "MTL"]).map { $0["name"] as? String } == ["Bed 1"])
        #expect(try Self.rooms(qc, ["--site", "MTL"]).map { $0["site"] as? String } == ["MTL"])
        let unknown = try qc.clinic.run(["room", "list", "--site", "TOR", "--json"])
        #expect(unknown.status == 1 && unknown.errorCode == "not-found")

        // Jane works Tuesdays in Montréal and Wednesdays in Québec; Québec offers the service too.
        try qc.clinic.ok(["staff", "hours", "jdoe", "--day", "wed", "--from", "08:00", "--until", "16:00"])
        let before = try qc.clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-02 10:00", "--json"])
        #expect(before.status == 1 && before.errorCode == "not-offered", "\(before.stderr)")
        try qc.clinic.ok(["service", "offer", "physio-30", "--site", "QC"])
        let booked = appointments(try qc.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                    "--at", "2026-12-02 10:00"]))
        #expect(booked.first?["room"] as? String == "Bed 1")
        // Québec has no free start at 10:00 any more: the booking took its own Bed 1.
        let mtlFree = try qc.clinic.ok(["slots", "--service", "physio-30", "--site", "QC", "--from", "2026-12-02", "--days", "1", "--limit", "20"])
        #expect((mtlFree["slots"] as? [[String: Any]])?.contains { $0["local_start"] as? String == "2026-12-02 10:00" } == false)
        // Tuesday is a Montréal day: Québec's own hours do not cover it.
        let tuesdayHere = try qc.clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                             "--at", "2026-12-01 10:00", "--json"])
        #expect(tuesdayHere.status == 1 && tuesdayHere.errorCode == "outside-hours", "\(tuesdayHere.stderr)")
        // ...but the desk may book Jane in Montréal from Québec.
        let there = appointments(try qc.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                   "--at", "2026-12-01 10:00", "--site", "MTL"]))
        #expect(there.count == 1)
    }

    @Test("hours are per site; nobody works in two places at once")
    func hoursPerSite() throws {
        let (mtl, qc, _) = try Self.chain()
        try send(mtl, qc)
        let clash = try qc.clinic.run(["staff", "hours", "jdoe", "--day", "tue", "--from", "12:00", "--until", "18:00", "--json"])
        #expect(clash.status == 1 && clash.errorCode == "duplicate", "\(clash.stderr)")
        #expect(clash.stderr.contains("MTL"))
        let set = try qc.clinic.ok(["staff", "hours", "jdoe", "--day", "tue", "--from", "16:00", "--until", "19:00"])
        #expect(set["site"] as? String == "QC")
        let elsewhere = try qc.clinic.ok(["staff", "hours", "jdoe", "--day", "thu", "--from", "08:00", "--to", "12:00", "--site", "MTL"])
        #expect(elsewhere["site"] as? String == "MTL")
        // Clearing Tuesday at Québec leaves Montréal's Tuesday alone.
        try qc.clinic.ok(["staff", "hours", "jdoe", "--day", "tue", "--clear"])
        let slots = try qc.clinic.ok(["slots", "--service", "physio-30", "--site", "MTL", "--from", "2026-12-01", "--days", "1", "--limit", "1"])
        let first = (slots["slots"] as? [[String: Any]])?.first
        #expect(first?["local_start"] as? String == "2026-12-01 08:00")
        #expect(first?["site"] as? String == "MTL")
    }

    @Test("a practitioner booked offline at two sites at once is a double booking every site lists; a room clashes only at its own site")
    func crossSiteBookings() throws {
        let (mtl, qc, van) = try Self.chain()
        try send(mtl, qc)
        try send(mtl, van)
        try qc.clinic.ok(["room", "add", "Bed 1"])
        try qc.clinic.ok(["service", "offer", "physio-30", "--site", "QC"])
        try qc.clinic.ok(["staff", "hours", "jdoe", "--day", "tue", "--from", "16:00", "--until", "20:00"])
        // Same room name, same time, two sites, two practitioners' worth of work: no clash between the rooms.
        try qc.clinic.ok(["staff", "add", "mroy", "--name", "Marc Roy", "--discipline", "physiotherapy"])
        try qc.clinic.ok(["staff", "hours", "mroy", "--day", "tue", "--from", "08:00", "--until", "16:00"])
        try qc.clinic.ok(["patient", "add", "--first", "Léa", "--last", "Roy", "--dob", "1990-01-01"])
        try mtl.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00"])
        try qc.clinic.ok(["book", "--patient", "QC-000001", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 10:00"])
        // Offline, Vancouver's desk books Jane in Montréal at 10:00 Montréal time, as Montréal did.
        try van.clinic.ok(["patient", "add", "--first", "Sam", "--last", "Wu", "--dob", "1970-05-05"])
        let remote = appointments(try van.clinic.ok(["book", "--patient", "VAN-000001", "--with", "jdoe", "--service", "physio-30",
                                                     "--at", "2026-12-01 10:00", "--site", "MTL"]))
        #expect(remote.first?["start"] as? String == "2026-12-01T15:00:00Z")
        let sites = [mtl, qc, van]
        for _ in 0..<2 { try exchangeAll(sites) }
        let digests = try sites.map { try $0.clinic.ok(["sync", "digest"])["digest"] as? String }
        #expect(Set(digests).count == 1)
        let listed = try sites.map { try $0.conflicts().filter { $0["kind"] as? String == "double-booking" }.compactMap { $0["id"] as? String } }
        #expect(listed[0].count == 1, "the practitioner's clash across sites; the two Bed 1s do not clash")
        #expect(listed[1] == listed[0] && listed[2] == listed[0])
        // Each site still lists only its own rooms.
        #expect(try Self.rooms(mtl).count == 1 && Self.rooms(qc).count == 1 && Self.rooms(van).isEmpty)
    }

    @Test("a room name is unique per site, not across the network")
    func roomNamesPerSite() throws {
        let (mtl, qc, _) = try Self.chain()
        try send(mtl, qc)
        let again = try qc.clinic.run(["room", "add", "bed 1", "--site", "MTL", "--json"])
        #expect(again.status == 1 && again.errorCode == "duplicate")
        try qc.clinic.ok(["room", "add", "Bed 2", "--site", "MTL"])
        #expect(try Self.rooms(qc, ["--site", "MTL"]).compactMap { $0["name"] as? String } == ["Bed 1", "Bed 2"])
        try send(qc, mtl)
        #expect(try Self.rooms(mtl).compactMap { $0["name"] as? String } == ["Bed 1", "Bed 2"])
    }

    @Test("service offer: admin only, unknown site or service refused, offering twice changes nothing; the catalogue says where")
    func serviceOffer() throws {
        let (mtl, qc, _) = try Self.chain()
        try send(qc, mtl)
        let first = try mtl.clinic.ok(["service", "offer", "physio-30", "--site", "QC"])
        #expect(first["added"] as? Bool == true)
        let second = try mtl.clinic.ok(["service", "offer", "physio-30", "--site", "QC"])
        #expect(second["added"] as? Bool == false)
        let list = try mtl.clinic.ok(["service", "list"])["services"] as? [[String: Any]]
        #expect(list?.first?["sites"] as? [String] == ["MTL", "QC"])
        let unknownSite = try mtl.clinic.run(["service", "offer", "physio-30", "--site", "TOR", "--json"])
        #expect(unknownSite.status == 1 && unknownSite.errorCode == "not-found")
        let unknownService = try mtl.clinic.run(["service", "offer", "nope-30", "--site", "QC", "--json"])
        #expect(unknownService.status == 1 && unknownService.errorCode == "not-found")
        let missing = try mtl.clinic.run(["service", "offer", "physio-30"])
        #expect(missing.status == 64)
        let help = try mtl.clinic.run(["service", "offer", "--help"])
        #expect(help.stdout.contains("--site"))
    }
}
