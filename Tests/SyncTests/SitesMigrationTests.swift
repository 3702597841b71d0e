import Foundation
import Models
@testable import Storage
import Testing
@testable import Sync

/// Schema 15 gives working hours their site and offers services where they are used. A database of
/// the previous release upgrades the same way at every site (their digests stay equal), and a log
/// written by the previous release still brings hours in at the site that set them.
@Suite("Upgrading a network of sites to site-scoped data")
struct SitesMigrationTests {
    static let now: Int64 = 1_795_392_000_000

    /// A schema 14 database at MTL (as the previous release made it): staff, a room, a service,
    /// hours, a patient and a booking, each write captured as that release captured it.
    static func previousRelease(at path: String) throws {
        try Migrator.clinic.migrate(try Database(path: path, create: true, migrate: false), to: 14)
        // Opened again at schema 14, so that its writes are captured as that release captured them.
        let db = try Database(path: path, create: false, migrate: false)
        db.clock = ClinicClock(fixed: Instant.date(now))
        try db.write { db in
            try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('01900000-0000-7000-8000-0000000000a1', 'MTL', 'Montréal', 'America/Toronto', 1, ?)", [now])
            try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('01900000-0000-7000-8000-0000000000b2', 'QC', 'Québec', 'America/Toronto', 0, ?)", [now])
            try db.execute("INSERT INTO staff (id, handle, name, discipline, role, roles, created_at) VALUES ('01900000-0000-7000-8000-000000000001', 'jdoe', 'Jane Doe', 'physiotherapy', 'clinician', 'clinician', ?)", [now])
            try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) VALUES ('01900000-0000-7000-8000-000000000002', '01900000-0000-7000-8000-0000000000a1', 'Bed 1', 'bed', ?)", [now])
            try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) VALUES ('01900000-0000-7000-8000-000000000003', '01900000-0000-7000-8000-0000000000b2', 'Bed 1', 'bed', ?)", [now])
            for (id, slug) in [("01900000-0000-7000-8000-000000000004", "physio-30"), ("01900000-0000-7000-8000-000000000005", "acu-45")] {
                try db.execute("INSERT INTO service (id, slug, name, duration_min, discipline, requires, created_at) VALUES (?, ?, 'S', 30, 'physiotherapy', NULL, ?)", [id, slug, now])
            }
            for weekday in 1...5 {
                try db.execute("INSERT INTO working_hours (id, staff_id, weekday, start_min, end_min, created_at) VALUES (?, '01900000-0000-7000-8000-000000000001', ?, 480, 960, ?)",
                               ["01900000-0000-7000-8000-00000000001\(weekday)", weekday, now])
            }
            try db.execute("""
                INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, search, created_at)
                VALUES ('01900000-0000-7000-8000-000000000006', '01900000-0000-7000-8000-0000000000a1', 'MTL-000001', 1, 'Ana', 'Silva', '1980-04-02', 'ana silva', ?)
                """, [now])
            // Booked at Québec's Bed 1 (a booking made at Québec, relayed): physio-30 becomes offered there too.
            try db.execute("""
                INSERT INTO appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, created_at, updated_at, original_start_ms)
                VALUES ('01900000-0000-7000-8000-000000000007', '01900000-0000-7000-8000-000000000006', '01900000-0000-7000-8000-000000000001',
                        '01900000-0000-7000-8000-000000000003', '01900000-0000-7000-8000-000000000004', ?, ?, 'booked', ?, ?, ?)
                """, [now + 86_400_000, now + 86_400_000 + 1_800_000, now, now, now + 86_400_000])
        }
        #expect(try db.schemaVersion() == 14)
        #expect(try db.first("SELECT COUNT(*) FROM change WHERE tbl = 'working_hours'")?.int(0) == 5, "hours captured as the previous release did")
    }

    @Test("two sites holding the same data upgrade to the same data: hours at the site that set them, services offered where made and booked")
    func upgradeKeepsDigestsEqual() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-sites-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mtlPath = folder.appendingPathComponent("mtl.sqlite").path, qcPath = folder.appendingPathComponent("qc.sqlite").path
        try Self.previousRelease(at: mtlPath)
        try FileManager.default.copyItem(atPath: mtlPath, toPath: qcPath)
        do {
            // The copy is Québec's database: same synced rows, Québec as its own site.
            let qc = try Database(path: qcPath, create: false, migrate: false)
            try qc.execute("UPDATE site SET is_local = 0")
            try qc.execute("UPDATE site SET is_local = 1 WHERE code = 'QC'")
        }
        let mtl = try Database(path: mtlPath, create: false)
        let qc = try Database(path: qcPath, create: false)
        for db in [mtl, qc] {
            #expect(try db.schemaVersion() == Migrations.latest)
            let hours = try db.query("SELECT s.code, COUNT(*) FROM working_hours w JOIN site s ON s.id = w.site_id GROUP BY s.code").map { "\($0.string(0)) \($0.int(1))" }
            #expect(hours == ["MTL 5"], "hours set at Montréal stay Montréal's at both sites")
            let offers = try db.query("""
                SELECT v.slug, s.code FROM service_offer o JOIN service v ON v.id = o.service_id JOIN site s ON s.id = o.site_id ORDER BY v.slug, s.code
                """).map { "\($0.string(0))@\($0.string(1))" }
            #expect(offers == ["acu-45@MTL", "physio-30@MTL", "physio-30@QC"])
        }
        #expect(try Digest.compute(mtl) == Digest.compute(qc))
    }

    @Test("a previous release's log brings hours in at the site that set them; the receiver converges with the sender")
    func previousReleaseLog() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-sites-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mtlPath = folder.appendingPathComponent("mtl.sqlite").path
        try Self.previousRelease(at: mtlPath)
        let mtl = try Database(path: mtlPath, create: false)
        mtl.clock = ClinicClock(fixed: Instant.date(Self.now + 60_000))
        // The hours changes in MTL's change log are the previous release's: no "site" group.
        #expect(try mtl.first("SELECT COUNT(*) FROM change WHERE tbl = 'working_hours' AND grp = 'site'")?.int(0) == 0)
        let van = try Database(path: folder.appendingPathComponent("van.sqlite").path)
        van.clock = ClinicClock(fixed: Instant.date(Self.now + 60_000))
        _ = try van.write { db in try SiteRepository(db).createLocal(code: "VAN", name: "Vancouver", timeZone: "America/Vancouver", now: Self.now) }
        let keys = try [mtl, van].map(SiteKeys.ensure)
        _ = try TrustStore(mtl).trust(code: "VAN", line: keys[1].publicLine, now: Self.now)
        _ = try TrustStore(van).trust(code: "MTL", line: keys[0].publicLine, now: Self.now)
        let file = folder.appendingPathComponent("mtl-van.jsonl")
        _ = try Exporter(mtl).export(to: .file(file.path), recipient: "VAN", full: true)
        let summary = try Importer(van).importFile(file.path)
        #expect(summary.pending == 0)
        let hours = try van.query("SELECT s.code, COUNT(*) FROM working_hours w JOIN site s ON s.id = w.site_id GROUP BY s.code").map { "\($0.string(0)) \($0.int(1))" }
        #expect(hours == ["MTL 5"])
        // The upgrade's offers travelled as changes; Vancouver's own site row is the one thing MTL lacks.
        let back = folder.appendingPathComponent("van-mtl.jsonl")
        _ = try Exporter(van).export(to: .file(back.path), recipient: "MTL", full: false)
        _ = try Importer(mtl).importFile(back.path)
        #expect(try Digest.compute(mtl) == Digest.compute(van))
        // New hours carry their site explicitly, and Vancouver's own land at Vancouver.
        _ = try van.write { db in
            try AvailabilityRepository(db).addHours(handle: "jdoe", hours: WorkingHours(weekday: 6, startMinute: 480, endMinute: 600), now: Self.now)
        }
        #expect(try van.first("SELECT COUNT(*) FROM change WHERE tbl = 'working_hours' AND grp = 'site'")?.int(0) == 1)
    }
}
