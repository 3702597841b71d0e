import CSQLite
import Foundation
import Models

/// One connection to an SQLite database under a `Database`: opens and configures it, compiles
/// statements and keeps the ones that run often, and runs transactions through its `Database` (so
/// every BEGIN, COMMIT and SAVEPOINT is a statement the observers see, as before the seam).
final class SQLiteBackend: DatabaseBackend {
    let handle: OpaquePointer
    /// Statements compiled once and kept for the connection's life (`prepare(_:cached: true)`).
    private var cache: [String: Statement] = [:]

    /// Opens (creating with mode 0600 if `create`) an SQLite database with extended result codes
    /// and the busy timeout; `didOpen` adds the hooks and the settings.
    init(opening path: String, create: Bool) throws {
        // ":memory:" is SQLite's name for a database that lives in memory only (no file to make).
        let exists = path == ":memory:" || FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create else {
                throw StorageError(.notInitialised, resultCode: 0,
                                   message: "no clinic database at \(path); run 'clinic init' or 'clinic demo' first")
            }
            try SQLiteBackend.createPrivateFile(at: path)
        }
        _ = SQLiteBackend.configured
        var pointer: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &pointer, flags, nil)
        guard result == SQLITE_OK, let pointer else {
            let error = StorageError(resultCode: result, handle: pointer)
            sqlite3_close_v2(pointer)
            throw error
        }
        handle = pointer
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Database.busyTimeoutMilliseconds)
    }

    /// WAL, full sync, foreign keys, temporary tables in memory; the commit and rollback hooks.
    func didOpen(_ db: Database) throws {
        installHooks(db)
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"] {
            try db.makeStatement(sql: pragma).execute()
        }
    }

    /// Process-wide SQLite settings, made once before the first connection opens: no memory
    /// statistics, which would take a global mutex on every allocation.
    private static let configured: Void = { _ = clinic_sqlite3_disable_memstatus() }()

    func willClose() { removeHooks() }

    func close() {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Creates an empty file readable only by its owner, so patient data never lands world-readable.
    static func createPrivateFile(at path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if fd < 0, errno != EEXIST {
            throw StorageError(.unwritable, resultCode: 0, message: "cannot create the database file (errno \(errno))")
        }
        if fd >= 0 { Foundation.close(fd) }
    }

    var dialect: SQLDialect { .sqlite }

    // MARK: Statements

    func prepare(_ sql: String, cached: Bool) throws -> BackendStatement {
        guard cached else { return .sqlite(try compile(sql, flags: 0)) }
        if let kept = cache[sql] { return .sqlite(kept) }
        let statement = try compile(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        cache[sql] = statement
        return .sqlite(statement)
    }

    private func compile(_ sql: String, flags: UInt32) throws -> Statement {
        var pointer: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, flags, &pointer, nil)
        guard result == SQLITE_OK, let pointer else { throw StorageError(resultCode: result, handle: handle) }
        return Statement(pointer, database: handle)
    }

    func executeScript(_ sql: String, on db: Database) throws {
        try sql.withCString { text in
            var rest: UnsafePointer<CChar>? = text
            while let start = rest, start.pointee != 0 {
                var pointer: OpaquePointer?
                let result = sqlite3_prepare_v2(handle, start, -1, &pointer, &rest)
                guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: handle) }
                guard let pointer else { continue }  // whitespace or a comment
                try Prepared(statement: .sqlite(Statement(pointer, database: handle)), database: db).execute()
            }
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    var cachedStatementCount: Int { cache.count }

    /// `PRAGMA user_version`.
    func schemaVersion(on db: Database) throws -> Int {
        Int(try db.makeStatement(sql: "PRAGMA user_version").first()?.int(0) ?? 0)
    }

    // MARK: Transactions

    func begin(_ kind: TransactionKind, on db: Database) throws {
        switch kind {
        case .write: try db.execute("BEGIN IMMEDIATE")
        case .read: try db.execute("BEGIN DEFERRED")
        }
    }

    func commit(on db: Database) throws { try db.execute("COMMIT") }
    func rollback(on db: Database) throws { try db.execute("ROLLBACK") }
    func savepoint(_ name: String, on db: Database) throws { try db.execute("SAVEPOINT \(name)") }
    func release(_ name: String, on db: Database) throws { try db.execute("RELEASE \(name)") }
    func rollbackTo(_ name: String, on db: Database) throws { try db.execute("ROLLBACK TO \(name)") }

    func setQueryOnly(_ on: Bool, on db: Database) throws {
        try db.execute(on ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0")
    }

    func isQueryOnlyRefusal(_ error: any Error) -> Bool {
        (error as? StorageError)?.primaryResultCode == SQLITE_READONLY
    }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Hooks

    /// SQLite's commit and rollback hooks, handed to `db`'s observers: they see every commit and
    /// rollback, including a COMMIT run by hand and a rollback SQLite makes on its own.
    private func installHooks(_ db: Database) {
        let context = Unmanaged.passUnretained(db).toOpaque()
        sqlite3_commit_hook(handle, { context in
            guard let context else { return 0 }
            let db = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
            return db.observers.allSatisfy { $0.databaseMayCommit(db) } ? 0 : 1
        }, context)
        sqlite3_rollback_hook(handle, { context in
            guard let context else { return }
            let db = Unmanaged<Database>.fromOpaque(context).takeUnretainedValue()
            db.notifyRollback()
        }, context)
    }

    private func removeHooks() {
        sqlite3_commit_hook(handle, nil, nil)
        sqlite3_rollback_hook(handle, nil, nil)
    }
}

extension Database {
    /// The SQLite connection under this database, for SQLite's own extension points (the capture
    /// function, the note ranking function).
    var sqliteHandle: OpaquePointer {
        guard let backend = backend as? SQLiteBackend else { preconditionFailure("an SQLite function on another backend") }
        return backend.handle
    }
}
