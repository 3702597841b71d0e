import Foundation
import Models
@testable import Storage
import Testing
@testable import Sync

/// Schema 16 adds the days a site is closed, a synced table of its own: a schema 15 database
/// upgrades to it, its writes are captured, and two sites holding the same data stay equal.
@Suite("Upgrading to closed days")
struct ClosuresMigrationTests {
    static let now: Int64 = 1_795_392_000_000

    /// A schema 15 database with one local site, as the previous release left it.
    static func previousRelease(at path: String) throws {
        try Migrator.clinic.migrate(try Database(path: path, create: true, migrate: false), to: 15)
        let db = try Database(path: path, create: false, migrate: false)
        db.clock = ClinicClock(fixed: Instant.date(now))
        try db.write { db in
            try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('01900000-0000-7000-8000-0000000000a1', 'MTL', 'Montréal', 'America/Toronto', 1, ?)", [now])
        }
        #expect(try db.schemaVersion() == 15)
        #expect(try db.first("SELECT 1 FROM sqlite_master WHERE name = 'site_closure'") == nil)
    }

    @Test("a schema 15 database upgrades: closing a day is captured once per group, reopening as a change of state, and copies stay equal")
    func upgrade() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-closures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mtl.sqlite").path, copyPath = folder.appendingPathComponent("copy.sqlite").path
        try Self.previousRelease(at: path)
        try FileManager.default.copyItem(atPath: path, toPath: copyPath)
        let db = try Database(path: path, create: false)
        let copy = try Database(path: copyPath, create: false)
        #expect(try db.schemaVersion() == Migrations.latest)
        #expect(try Digest.compute(db) == Digest.compute(copy))

        db.clock = ClinicClock(fixed: Instant.date(Self.now + 1000))
        let christmas = try #require(CivilDate.parse("2026-12-25"))
        try db.write { db in
            let site = try SiteRepository(db).local()
            try ClosureRepository(db).close(site: site, date: christmas, reason: "Christmas")
        }
        let id = SiteClosure.id(siteID: "01900000-0000-7000-8000-0000000000a1", date: christmas)
        let groups = try db.query("SELECT grp FROM change WHERE tbl = 'site_closure' AND row_id = ? ORDER BY grp", [id]).map { $0.string(0) }
        #expect(groups == ["details", "state"])
        try db.write { db in
            try ClosureRepository(db).reopen(site: try SiteRepository(db).local(), date: christmas)
        }
        #expect(try db.first("SELECT COUNT(*) FROM change WHERE tbl = 'site_closure' AND grp = 'state'")?.int(0) == 2)
        #expect(try db.first("SELECT COUNT(*) FROM change WHERE tbl = 'site_closure' AND grp = '_deleted'")?.int(0) == 0)
        #expect(try db.first("SELECT closed FROM site_closure WHERE id = ?", [id])?.int(0) == 0)
    }

    @Test("a closure's id is derived from its site and day alone")
    func derivedID() throws {
        let day = try #require(CivilDate.parse("2026-12-25"))
        let other = try #require(CivilDate.parse("2026-12-26"))
        #expect(SiteClosure.id(siteID: "a", date: day) == SiteClosure.id(siteID: "a", date: day))
        #expect(SiteClosure.id(siteID: "a", date: day) != SiteClosure.id(siteID: "b", date: day))
        #expect(SiteClosure.id(siteID: "a", date: day) != SiteClosure.id(siteID: "a", date: other))
        #expect(SiteClosure.id(siteID: "a", date: day).count == 36)
    }
}
