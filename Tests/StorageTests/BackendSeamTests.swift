import Foundation
import Testing
@testable import Storage

/// The backend seam (design note §3): SQLite is reached only from Sources/Storage/SQLite, and the
/// portable forms that replaced SQLite-only SQL behave as before.
struct BackendSeamTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func onlyTheSQLiteFolderImportsCSQLite() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let sqliteFolder = sources.appendingPathComponent("Storage/SQLite").path + "/"
        var outside: [String] = []
        var inside = 0
        let files = try #require(FileManager.default.enumerator(atPath: sources.path))
        for case let relative as String in files where relative.hasSuffix(".swift") {
            let path = sources.appendingPathComponent(relative).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard text.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "import CSQLite" }) else { continue }
            if path.hasPrefix(sqliteFolder) { inside += 1 } else { outside.append(relative) }
        }
        #expect(outside.isEmpty, "import CSQLite outside Sources/Storage/SQLite: \(outside)")
        #expect(inside >= 5)
    }

    @Test func sqliteDialectFragments() throws {
        let db = try Database(opening: ":memory:")
        let dialect = db.dialect
        #expect(try db.first("SELECT \(dialect.jsonField("?", "k"))", [#"{"k":"v"}"#])?.string(0) == "v")
        #expect(try db.query("SELECT value FROM \(dialect.idList("?"))", ["[3,1,2]"]).map { $0.int(0) } == [3, 1, 2])
        #expect(try db.first("SELECT \(dialect.greatest)(2, 7)")?.int(0) == 7)
        #expect(try db.first("SELECT 'ABC' \(dialect.caseInsensitiveLike) 'abc'")?.int(0) == 1)
        #expect(dialect.forUpdate.isEmpty)
    }

    @Test func statementsTransactionsAndCursorsGoThroughTheBackend() throws {
        let db = try Database(opening: ":memory:")
        try db.executeScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE u (x);")
        #expect(db.isInTransaction == false)
        try db.write { db in
            #expect(db.isInTransaction)
            try db.execute("INSERT INTO t (name) VALUES (?)", ["a"])
            try? db.inSavepoint { db in
                try db.execute("INSERT INTO t (name) VALUES (?)", ["rolled back"])
                throw StorageError(.sqlite, resultCode: 0, message: "test")
            }
        }
        var names: [String] = []
        try db.each("SELECT name FROM t ORDER BY id") { cursor in names.append(cursor.text(0)) }
        #expect(names == ["a"])
        #expect(throws: StorageError.self) { try db.read { db in try db.execute("INSERT INTO u VALUES (1)") } }
        do { try db.read { db in try db.execute("INSERT INTO u VALUES (1)") } } catch let error as StorageError {
            #expect(error.code == .writeInsideRead)
        }
        #expect(try db.first("SELECT count(*) FROM u")?.int(0) == 0)
    }
}

extension BackendSeamTests {
    /// The capture keeps its seal statements for the connection's life: it must keep the backend's
    /// statements, not `Prepared` (which holds its `Database`), or the connection is never closed.
    @Test func aClinicConnectionIsFreedOnceItsSealStatementsAreKept() throws {
        let file = TemporaryDatabase()
        weak var released: Database?
        do {
            let db = try file.open()
            for case let buffer as CaptureBuffer in db.observers { _ = try buffer.sealStatements() }
            try db.write { db in try db.execute("UPDATE sync_state SET hlc = hlc WHERE id = 1") }
            released = db
        }
        #expect(released == nil)
    }
}
