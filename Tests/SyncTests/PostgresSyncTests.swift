import Foundation
import Models
@testable import Storage
@testable import Sync
import Testing

/// Sync between a site on PostgreSQL and sites on SQLite (issue 28): the same change logs, the same
/// digest, and an offline double booking stored, marked, listed and resolvable on PostgreSQL.
@Suite("Sync on PostgreSQL")
struct PostgresSyncTests {
    /// 10:00 on 1 December 2026 in the first site's zone.
    static func slot() throws -> Int64 {
        let zone = try SiteTimeZone("America/Toronto")
        return try #require(zone.instant(LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 1) ?? CivilDate(daysSinceEpoch: 0), minuteOfDay: 10 * 60)))
    }

    static func charts(_ db: Database) throws -> [String] {
        try db.query("SELECT chart FROM patient ORDER BY chart").map { $0.string(0) }
    }

    @Test("a PostgreSQL site and a SQLite site exchange change logs both ways and reach the same sync digest")
    func exchangeBothWays() throws {
        // Site 0 (MTL) on PostgreSQL makes staff, rooms, the service and patients; QC on SQLite receives them.
        let network = try Network(siteCount: 2, postgres: [0])
        let pg = network.sites[0], lite = network.sites[1]
        #expect(pg.engine == .postgres && lite.engine == .sqlite)
        #expect(try Self.charts(pg).count == 6 && Self.charts(lite) == Self.charts(pg))
        network.tick()
        let start = try Self.slot()
        let charts = try Self.charts(pg)
        // Each side books and edits; the bookings do not overlap.
        _ = try Scheduler(pg).book(.init(patientChart: charts[0], practitionerHandle: "lchen", serviceSlug: "physio-30", start: start, siteCode: "MTL"),
                                   now: network.now)
        _ = try Scheduler(lite).book(.init(patientChart: charts[1], practitionerHandle: "mroy", serviceSlug: "physio-30", start: start, siteCode: "QC"),
                                     now: network.now)
        let today = CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0)
        _ = try PatientRepository(lite).updateContact(chart: charts[2], phone: "514-555-0101", email: nil, today: today)
        network.tick()
        _ = try PatientRepository(pg).updateContact(chart: charts[2], phone: "514-555-0202", email: nil, today: today)
        let toPG = try network.exchange(from: 1, to: 0)
        #expect(toPG.applied > 0)
        let toLite = try network.exchange(from: 0, to: 1)
        #expect(toLite.applied > 0)
        #expect(try Digest.compute(pg) == Digest.compute(lite))
        #expect(try pg.first("SELECT COUNT(*) FROM appointment")?.int(0) == 2)
        #expect(try pg.first("SELECT phone FROM patient WHERE chart = ?", [charts[2]])?.string(0) == "514-555-0202")
        // Nothing new either way: the second round applies nothing and the digests stay equal.
        #expect(try network.exchange(from: 1, to: 0).applied == 0)
        #expect(try network.exchange(from: 0, to: 1).applied == 0)
        #expect(try Digest.compute(pg) == Digest.compute(lite))
    }

    @Test("an offline double booking arriving at a PostgreSQL site is stored, marked, listed, and resolving it binds the constraint again")
    func doubleBookingOnPostgres() throws {
        let network = try Network(siteCount: 2, postgres: [0])
        let pg = network.sites[0], lite = network.sites[1]
        network.tick()
        let start = try Self.slot()
        let charts = try Self.charts(pg)
        // Offline, both sites book lchen at MTL at 10:00, for two patients.
        let here = try Scheduler(pg).book(.init(patientChart: charts[0], practitionerHandle: "lchen", serviceSlug: "physio-30", start: start, siteCode: "MTL"),
                                          now: network.now)
        let there = try Scheduler(lite).book(.init(patientChart: charts[1], practitionerHandle: "lchen", serviceSlug: "physio-30", start: start, siteCode: "MTL"),
                                             now: network.now)
        let ours = try #require(here.first?.appointment.id), theirs = try #require(there.first?.appointment.id)
        network.tick()
        let summary = try network.exchange(from: 1, to: 0)
        #expect(summary.conflicts == 1)
        // Both stored and active, both marked as a known double booking.
        #expect(try pg.query("SELECT id, in_conflict FROM appointment WHERE status <> 'cancelled' ORDER BY id").map { "\($0.string(0)) \($0.int(1))" }
                == [ours, theirs].sorted().map { "\($0) 1" })
        let listed = try ConflictBook(pg).list()
        #expect(listed.map(\.kind) == ["double-booking"])
        #expect(Set([listed.first?.a.reference, listed.first?.b.reference]) == Set([ours, theirs]))
        // Resolved at the PostgreSQL site: the other booking is cancelled and the kept one bound again.
        let entry = try #require(listed.first)
        let keep = entry.a.reference == ours ? "A" : "B"
        network.tick()
        _ = try ConflictBook(pg).resolve(id: entry.id, keep: keep, by: "adminmtl", now: network.now)
        #expect(try pg.first("SELECT in_conflict FROM appointment WHERE id = ?", [ours])?.int(0) == 0)
        #expect(try pg.first("SELECT status FROM appointment WHERE id = ?", [theirs])?.string(0) == "cancelled")
        // The constraint binds the kept booking: the cancelled one cannot take the slot back behind clinic's back.
        do {
            try pg.write { db in
                try db.execute("UPDATE appointment SET status = 'booked', in_conflict = 0 WHERE id = ?", [theirs])
            }
            Issue.record("the exclusion constraint let a second booking into the kept one's slot")
        } catch let error as ClinicError {
            #expect(error.code.name == "slot-taken")
        }
        // The decision travels: both sites end with the same digest and the same resolved conflict.
        _ = try network.exchange(from: 0, to: 1)
        _ = try network.exchange(from: 1, to: 0)
        #expect(try Digest.compute(pg) == Digest.compute(lite))
        #expect(try network.conflicts(0) == network.conflicts(1))
    }
}
