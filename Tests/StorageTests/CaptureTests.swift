import Foundation
import Models
@testable import Storage
import Testing

/// Change capture through `clinic_capture`: what a transaction keeps, what a rollback drops, and the clock.
@Suite("Change capture")
struct CaptureTests {
    static let fixedNow = Date(timeIntervalSince1970: Double(testNow) / 1000)

    func addRoom(_ db: Database, _ name: String) throws {
        try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) SELECT ?, id, ?, 'bed', 0 FROM site WHERE is_local = 1",
                       [name.lowercased(), name])
    }

    func roomChanges(_ db: Database) throws -> [String] {
        try db.query("SELECT row_id FROM change WHERE tbl = 'room' ORDER BY seq").map { $0.string(0) }
    }

    @Test("a committed write seals its changes; a rolled-back one leaves none, and none leak into the next")
    func rollbackDropsCaptured() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try db.write { db in
                try addRoom(db, "Gone")
                throw Refused()
            }
        }
        try db.write { db in try addRoom(db, "Kept") }
        #expect(try roomChanges(db) == ["kept"])
        #expect(try count("change_staging", in: db) == 0)
    }

    @Test("only the last write of a field group in a transaction becomes a change")
    func lastWriteOfGroupWins() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        try db.write { db in
            try addRoom(db, "Draft")
            try db.execute("UPDATE room SET name = 'Middle' WHERE id = 'draft'")
            try db.execute("UPDATE room SET name = 'Final' WHERE id = 'draft'")
            try addRoom(db, "Other")
        }
        let rows = try db.query("SELECT row_id, json_extract(vals, '$.name') FROM change WHERE tbl = 'room' ORDER BY seq")
        #expect(rows.map { "\($0.string(0)) \($0.string(1))" } == ["draft Final", "other Other"])
    }

    @Test("a write of many changes seals every one, in write order, with the id a receiving site computes",
          arguments: [1, 3, 4, 5, 9])
    func manyChangesInOneWrite(rooms: Int) throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let names = (0..<rooms).map { "Room\($0)" }
        try db.write { db in
            for name in names { try addRoom(db, name) }
        }
        #expect(try roomChanges(db) == names.map { $0.lowercased() })
        for row in try db.query("SELECT change_id, origin, hlc, tbl, row_id, grp, vals, prev FROM change WHERE tbl = 'room'") {
            let values = try #require(try JSONParser.parse(row.string(6)).objectValue)
            let change = Change(origin: row.string(1), hlc: HLC(rawValue: row.int(2)), table: row.string(3), rowID: row.string(4),
                                group: row.string(5), values: values, previous: row.optionalString(7))
            #expect(row.string(0) == change.id)
        }
    }

    @Test("a failed statement and a failed inner write drop what they captured")
    func failedStatementAndSavepoint() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        try db.write { db in
            try addRoom(db, "First")
            // The second row breaks the foreign key after the trigger of the first has run: SQLite undoes the statement.
            #expect(throws: StorageError.self) {
                try db.execute("""
                    INSERT INTO room (id, site_id, name, kind, created_at)
                    SELECT 'half', id, 'Half', 'bed', 0 FROM site UNION ALL SELECT 'bad', 'no-such-site', 'Bad', 'bed', 0
                    """)
            }
            struct Abandon: Error {}
            #expect(throws: Abandon.self) {
                try db.inSavepoint { db in
                    try addRoom(db, "Tried")
                    throw Abandon()
                }
            }
            try db.inSavepoint { db in try addRoom(db, "Second") }
        }
        #expect(try roomChanges(db) == ["first", "second"])
        #expect(try count("room", in: db) == 2)
    }

    @Test("a long write may seal early: its changes survive as they would at COMMIT, and a savepoint rolled back takes them all")
    func earlySeal() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        struct Abandon: Error {}
        try db.write { db in
            try addRoom(db, "First")
            try db.sealCapturedChanges()
            // Captured before this savepoint: sealing inside it would lose its change if the savepoint rolled back.
            try addRoom(db, "Second")
            #expect(throws: Abandon.self) {
                try db.inSavepoint { db in
                    try addRoom(db, "Tried")
                    try db.sealCapturedChanges()
                    throw Abandon()
                }
            }
            try db.sealCapturedChanges()
            // Begun with nothing captured: what it seals is inside it, and goes if it is rolled back.
            try db.inSavepoint { db in
                try addRoom(db, "Third")
                try db.sealCapturedChanges()
            }
            #expect(throws: Abandon.self) {
                try db.inSavepoint { db in
                    try addRoom(db, "Fourth")
                    try db.sealCapturedChanges()
                    throw Abandon()
                }
            }
        }
        #expect(try roomChanges(db) == ["first", "second", "third"])
        #expect(try count("room", in: db) == 3)
        #expect(try db.first("SELECT count(DISTINCT hlc) FROM change WHERE tbl = 'room'")?.int(0) == 3)
    }

    @Test("a write outside a write transaction is staged and sealed by the next write of any connection")
    func autocommitWriteIsStaged() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        try addRoom(db, "Loose")
        #expect(try count("change_staging", in: db) == 1)
        let other = try file.open()
        try other.write { db in try addRoom(db, "Later") }
        #expect(try roomChanges(other) == ["loose", "later"])
        #expect(try count("change_staging", in: other) == 0)
    }

    @Test("a commit by hand inside a write cannot leave captured changes unsealed")
    func commitWithoutSealIsRefused() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(throws: StorageError.self) {
            try db.write { db in
                try addRoom(db, "Sneaky")
                try db.execute("COMMIT")
            }
        }
        #expect(try count("room", in: db) == 0)
        #expect(try roomChanges(db).isEmpty)
    }

    @Test("the clock never goes back: across reopening, between connections, and after a received stamp")
    func clockIsMonotonic() throws {
        let file = TemporaryDatabase()
        var stamps: [Int64] = []
        func stamp(_ db: Database) throws -> Int64 {
            try #require(try db.first("SELECT max(hlc) FROM change WHERE origin = 'MTL'")).int(0)
        }
        do {
            let db = try file.openWithSite()
            db.clock = ClinicClock(fixed: Self.fixedNow)
            try db.write { db in try addRoom(db, "A") }
            stamps.append(try stamp(db))
            try db.write { db in try addRoom(db, "B") }
            stamps.append(try stamp(db))
        }
        let reopened = try file.open()
        // A wall clock an hour behind must not take the stamps back.
        reopened.clock = ClinicClock(fixed: Self.fixedNow.addingTimeInterval(-3600))
        try reopened.write { db in try addRoom(db, "C") }
        stamps.append(try stamp(reopened))
        let second = try file.open()
        second.clock = reopened.clock
        try second.write { db in try addRoom(db, "D") }
        stamps.append(try stamp(second))
        // The site row was stamped by the real clock (openWithSite), so "ahead" must be ahead of that too.
        let ahead = HLC(physical: max(testNow, Instant.millis(Date())) + 60_000, counter: 5)
        try reopened.write { db in try ChangeCapture.receive(db, ahead) }
        #expect(try ChangeCapture.currentHLC(reopened) > ahead)
        try reopened.write { db in try addRoom(db, "E") }
        stamps.append(try stamp(reopened))
        #expect(stamps == stamps.sorted() && Set(stamps).count == stamps.count, "\(stamps)")
        #expect(stamps.last.map(HLC.init(rawValue:)).map { $0 > ahead } == true)
        #expect(try reopened.first("SELECT hlc FROM sync_state WHERE id = 1")?.int(0) == HLC(physical: ahead.physical, counter: ahead.counter + 1).rawValue,
                "a local write does not persist its stamp in sync_state")
    }

    @Test("a database from before version 8 gets the function triggers and its staged rows are still sealed")
    func migrationReplacesStagingTriggers() throws {
        let file = TemporaryDatabase()
        do {
            let old = try Database(path: file.path, migrate: false)
            for (index, script) in Migrations.all.prefix(7).enumerated() {
                try old.executeScript(script)
                try old.executeScript("PRAGMA user_version = \(index + 1)")
            }
            try old.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('s', 'MTL', 'Montréal', 'America/Toronto', 1, 0)")
            #expect(try count("change_staging", in: old) == 1, "version 7's triggers stage the row")
        }
        let db = try file.open()
        #expect(try db.schemaVersion() == Migrations.latest)
        #expect(try db.query("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%change_staging%'").isEmpty)
        let capture = try db.query("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%clinic_capture%'")
        #expect(capture.count == SyncSchema.tables.reduce(0) { $0 + 1 + ($1.merge == .lastWriterWins ? $1.groups.count + 1 : 0) })
        try db.write { db in try addRoom(db, "New") }
        #expect(try db.query("SELECT tbl FROM change ORDER BY seq").map { $0.string(0) } == ["site", "room"])
        #expect(try count("change_staging", in: db) == 0)
    }
}
