import Foundation
import Models
@testable import Storage
import Testing

@Suite("Database file, schema and transactions")
struct DatabaseTests {
    @Test("a new database is migrated to the latest schema version")
    func migratesToLatest() throws {
        let file = TemporaryDatabase()
        let db = try file.open()
        #expect(Migrations.latest >= 2)
        #expect(try db.schemaVersion() == Migrations.latest)
        let version = try #require(try db.first("PRAGMA user_version")).int(0)
        #expect(version == Int64(Migrations.latest))
        for table in ["site", "staff", "patient", "room", "service", "working_hours", "appointment"] {
            #expect(try db.first("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [table]) != nil, "table \(table)")
        }
    }

    @Test("reopening a current database keeps its data and version")
    func reopenIsIdempotent() throws {
        let file = TemporaryDatabase()
        do {
            let db = try file.openWithSite()
            #expect(try db.schemaVersion() == Migrations.latest)
        }
        let again = try file.open()
        #expect(try again.schemaVersion() == Migrations.latest)
        #expect(try SiteRepository(again).local().code == "MTL")
    }

    @Test("a database from the version before upgrades to local settings with the test clock off; no change is captured for them")
    func upgradeToLocalSettings() throws {
        let file = TemporaryDatabase()
        let previous = 12
        do {
            let old = try Database(path: file.path, migrate: false)
            for (index, script) in Migrations.all.prefix(previous).enumerated() {
                try old.executeScript(script)
                try old.executeScript("PRAGMA user_version = \(index + 1)")
            }
            try old.write { db in
                _ = try SiteRepository(db).createLocal(code: "MTL", name: "Montréal", timeZone: "America/Toronto", now: testNow)
            }
            #expect(try old.schemaVersion() == previous)
            #expect(try old.first("SELECT 1 FROM sqlite_schema WHERE name = 'local_setting'") == nil)
        }
        let db = try file.open()
        #expect(try db.schemaVersion() == Migrations.latest)
        #expect(try LocalSettings(db).testClock() == false, "an existing database keeps the real clock")
        #expect(try SiteRepository(db).local().code == "MTL")
        try db.write { try LocalSettings($0).enableTestClock() }
        #expect(try LocalSettings(db).testClock())
        for table in ["change", "change_staging"] {
            #expect(try db.first("SELECT COUNT(*) FROM \(table) WHERE tbl = 'local_setting'")?.int(0) == 0, "the setting is this file's alone")
        }
        #expect(!SyncSchema.tables.contains { $0.name == "local_setting" })
    }

    @Test("a database from a newer clinic is refused with schema-too-new, and left as it was")
    func schemaTooNew() throws {
        let file = TemporaryDatabase()
        do {
            let db = try file.open()
            try db.execute("PRAGMA user_version = 99")
        }
        do {
            _ = try file.open()
            Issue.record("a schema-99 database was opened")
        } catch let error as StorageError {
            #expect(error.code.name == "schema-too-new")
        }
        let raw = try Database(path: file.path, create: false, migrate: false)
        #expect(try raw.schemaVersion() == 99)
    }

    @Test("a missing database is not created when creation is not asked for")
    func missingNotCreated() throws {
        let file = TemporaryDatabase()
        #expect(errorCode { _ = try Database(path: file.path, create: false) } == "not-initialised")
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("a new database file is readable by its owner only")
    func privateFileMode() throws {
        let file = TemporaryDatabase()
        _ = try file.openWithSite()
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)
    }

    @Test("a file that is not SQLite is refused as corrupt")
    func notADatabase() throws {
        let file = TemporaryDatabase()
        try FileManager.default.createDirectory(at: file.directory, withIntermediateDirectories: true)
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(errorCode { _ = try file.open() } == "corrupt")
    }

    @Test("write rolls back everything when its body throws")
    func writeRollsBack() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try db.write { db in
                try StaffRepository(db).add(handle: "jdoe", name: "Jane Doe", discipline: .physiotherapy, roles: [.clinician], now: testNow)
                #expect(try StaffRepository(db).find("jdoe") != nil)
                throw Abandon()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try StaffRepository(db).find("jdoe") == nil)
        #expect(try count("staff", in: file.open()) == 0)
    }

    @Test("write commits when its body returns")
    func writeCommits() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let chart = try db.write { db -> String in
            #expect(db.isInTransaction)
            return try PatientRepository(db).add(.init(first: "Ana", last: "Silva", dateOfBirth: testToday.adding(days: -10_000)),
                                                 now: testNow, today: testToday).chart
        }
        #expect(chart == "MTL-000001")
        #expect(!db.isInTransaction)
        #expect(try count("patient", in: file.open()) == 1)
    }

    @Test("a failed write inside a write rolls back alone: the outer keeps its rows and commits, the inner's are gone")
    func nestedWriteFailsAlone() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        struct Refused: Error {}
        try db.write { db in
            _ = try RoomRepository(db).add(name: "Bed 1", kind: .bed, now: testNow)
            #expect(throws: Refused.self) {
                try db.write { db in
                    _ = try RoomRepository(db).add(name: "Bed 2", kind: .bed, now: testNow)
                    throw Refused()
                }
            }
            #expect(db.isInTransaction)
            try db.write { db in _ = try RoomRepository(db).add(name: "Bed 3", kind: .bed, now: testNow) }
        }
        #expect(try RoomRepository(file.open()).all().map(\.name).sorted() == ["Bed 1", "Bed 3"])
        let captured = try db.query("SELECT json_extract(vals, '$.name') FROM change WHERE tbl = 'room' ORDER BY seq").map { $0.string(0) }
        #expect(captured == ["Bed 1", "Bed 3"], "the rolled-back room left no change to sync")
    }

    @Test("a read cannot write: a statement or a write inside it fails with write-inside-read and changes nothing")
    func readRefusesWrites() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(errorCode {
            try db.read { db in try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) SELECT 'r', id, 'Bed', 'bed', 0 FROM site") }
        } == "write-inside-read")
        #expect(errorCode {
            try db.read { db in _ = try db.write { db in try RoomRepository(db).add(name: "Bed", kind: .bed, now: testNow) } }
        } == "write-inside-read")
        #expect(errorCode {
            try db.write { db in try db.read { db in try db.execute("DELETE FROM site") } }
        } == "write-inside-read")
        #expect(!db.isInTransaction)
        #expect(try count("room", in: db) == 0)
        #expect(try count("site", in: db) == 1)
        #expect(try db.read { db in try count("site", in: db) } == 1, "a read still reads")
        _ = try db.write { db in try RoomRepository(db).add(name: "Bed", kind: .bed, now: testNow) }
        #expect(try count("room", in: db) == 1, "after a read the connection writes again")
    }

    @Test("a second connection waits for the lock instead of failing")
    func waitsForLock() throws {
        let file = TemporaryDatabase()
        _ = try file.openWithSite()
        let path = file.path
        let locked = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let holderFailure = LockedBox<String?>(nil)
        let holdMillis = 300
        Thread.detachNewThread {
            defer { released.signal() }
            do {
                let holder = try Database(path: path)
                try holder.execute("BEGIN IMMEDIATE")
                try holder.execute("INSERT INTO room (id, site_id, name, kind, created_at) SELECT 'held', id, 'Held', 'bed', 0 FROM site")
                locked.signal()
                Thread.sleep(forTimeInterval: Double(holdMillis) / 1000)
                try holder.execute("COMMIT")
            } catch {
                holderFailure.value = "\(error)"
                locked.signal()
            }
        }
        locked.wait()
        let started = Date()
        let writer = try Database(path: path)
        _ = try writer.write { db in
            try RoomRepository(db).add(name: "Bed 1", kind: .bed, now: testNow)
        }
        let waited = Date().timeIntervalSince(started)
        released.wait()
        #expect(holderFailure.value == nil)
        #expect(waited >= Double(holdMillis) / 1000 * 0.8, "the writer went through while the lock was held")
        #expect(waited < Double(Database.busyTimeoutMilliseconds) / 1000)
        #expect(Set(try RoomRepository(writer).all().map(\.name)) == ["Held", "Bed 1"])
    }
}

/// A value shared with a background thread under a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

@Suite("Statements run with typed and in-place binds")
struct ChangeIndexTests {
    /// Import's hot inserts bind texts where they lie instead of letting SQLite copy them; what is
    /// stored must be exactly what was bound, and nothing may stay bound to bytes that are gone.
    @Test("a statement run with values bound in place stores every text, number and null as given, then unbinds them")
    func runBindingInPlace() throws {
        let file = TemporaryDatabase()
        let db = try file.open()
        try db.execute("CREATE TABLE t (a TEXT, b INTEGER, c TEXT, d TEXT, e REAL)")
        let insert = try db.prepare("INSERT INTO t (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)")
        let long = String(repeating: "Québec ✓ ", count: 40)
        let rows: [[SQLValue]] = [[.text("short"), .integer(-7), .text(""), .null, .real(2.5)],
                                  [.text(long), .integer(Int64.max), .text("naïve \"quoted\""), .text("x"), .null]]
        for row in rows { try insert.run(binding: row) }
        let stored = try db.query("SELECT a, b, c, d, e FROM t ORDER BY rowid").map { row in (0..<5).map { row.values[$0] } }
        #expect(stored == rows)
        // Unbound after the run: a bare step would insert NULLs, not the last row's texts.
        try insert.run()
        #expect(try db.first("SELECT a IS NULL AND c IS NULL FROM t ORDER BY rowid DESC LIMIT 1")?.int(0) == 1)
    }

    @Test("a row naming a row that is not there fails as a foreign-key violation, undone, and the transaction goes on")
    func foreignKeyViolationIsTold() throws {
        let file = TemporaryDatabase()
        let db = try file.open()
        try db.execute("CREATE TABLE parent (id TEXT PRIMARY KEY)")
        try db.execute("CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))")
        let insert = try db.prepare("INSERT INTO child (id, parent_id) VALUES (?, ?)")
        try db.write { db in
            try db.execute("INSERT INTO parent (id) VALUES ('p1')")
            var violation: StorageError?
            do { try insert.run(binding: [.text("c1"), .text("p-missing")]) } catch let error as StorageError { violation = error }
            #expect(violation?.isForeignKeyViolation == true)
            #expect(violation?.code == .constraint)
            try insert.run(binding: [.text("c2"), .text("p1")])
        }
        #expect(try db.query("SELECT id FROM child").map { $0.string(0) } == ["c2"])
        #expect(try db.first("SELECT COUNT(*) FROM parent")?.int(0) == 1)
    }
}
