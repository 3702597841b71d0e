import Foundation
import Models
@testable import Storage
import Testing

/// Schema 16 (desk) adds patients' address and emergency contact, archiving and merged charts as new
/// synced tables: a schema 15 database upgrades with its patients as they were, and writes to the new
/// tables are captured for sync.
@Suite("Upgrading to patients kept right")
struct PatientRecordsMigrationTests {
    static let now: Int64 = 1_795_392_000_000

    @Test("a schema 15 database gains the tables, keeps its patients and captures edits, archiving and merges")
    func upgrade() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-patients-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mtl.sqlite").path
        try Migrator.clinic.migrate(try Database(path: path, create: true, migrate: false), to: 15)
        do {
            let old = try Database(path: path, create: false, migrate: false)
            old.clock = ClinicClock(fixed: Instant.date(Self.now))
            try old.write { db in
                try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('01900000-0000-7000-8000-0000000000a1', 'MTL', 'Montréal', 'America/Toronto', 1, ?)", [Self.now])
                for (n, last) in [(1, "D'Amours"), (2, "Damours")] {
                    try db.execute("""
                        INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, search, created_at)
                        VALUES (?, '01900000-0000-7000-8000-0000000000a1', ?, ?, 'Luc', ?, '1980-04-02', ?, ?)
                        """, ["01900000-0000-7000-8000-00000000000\(n)", "MTL-00000\(n)", n, last, "luc \(last.lowercased()) mtl-00000\(n)", Self.now])
                }
            }
            #expect(try old.schemaVersion() == 15)
            #expect(try old.first("SELECT COUNT(*) FROM sqlite_master WHERE name = 'patient_alias'")?.int(0) == 0)
        }
        let db = try Database(path: path, create: false)
        db.clock = ClinicClock(fixed: Instant.date(Self.now))
        #expect(try db.schemaVersion() == Migrations.latest)
        let patients = PatientRepository(db)
        // Rows written by schema 15 (apostrophe kept in `search`) are found without it.
        #expect(try patients.find("damours").map(\.chart) == ["MTL-000001", "MTL-000002"])
        try patients.edit(chart: "MTL-000001", .init(address: "1 rue Test"), today: CivilDate.parse("2026-11-23")!)
        try patients.setArchived(chart: "MTL-000001", true)
        _ = try patients.merge(keep: "MTL-000001", drop: "MTL-000002", now: Self.now)
        for table in ["patient_contact", "patient_archive", "patient_alias"] {
            #expect((try db.first("SELECT COUNT(*) FROM change WHERE tbl = ?", [table])?.int(0) ?? 0) > 0, "\(table) changes not captured")
        }
        #expect(try patients.require(chart: "MTL-000002").chart == "MTL-000001")
        #expect(try patients.find("damours").isEmpty)
        #expect(try patients.find("damours", includingArchived: true).map(\.chart) == ["MTL-000001"])
    }
}
