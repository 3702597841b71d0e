import CSQLite
import Foundation
import Models

/// One connection to an SQLite database: opens and configures it, runs statements and keeps the
/// ones that run often compiled. It knows SQLite, not the clinic: change capture, note ranking and
/// the schema are added by whoever opens a clinic database (`Database(path:)`, Database+Clinic.swift).
///
/// Not `Sendable`: a connection belongs to the task that opened it. Two processes share a
/// database file safely through WAL, `BEGIN IMMEDIATE` and the busy timeout.
public final class Database {
    let handle: OpaquePointer
    /// Statements compiled once and kept for the connection's life (`cachedStatement(sql:)`).
    private var cache: [String: Statement] = [:]
    /// The path the database was opened from.
    public let path: String
    /// The clock that stamps captured changes (and `CLINIC_NOW` in tests).
    public var clock = ClinicClock()
    /// Told about transactions, savepoints and failed statements (Database+Observation.swift).
    var observers: [TransactionObserver] = []
    /// Objects a layer above keeps for the life of this connection, one per type (`attached(_:)`).
    private var attachments: [ObjectIdentifier: AnyObject] = [:]
    /// Counts statement runs, so an observer can tell what a failed statement did (`statementWillRun`).
    var statementRuns = 0
    /// How many `read`s are open: while above 0 the connection is query-only.
    var openReads = 0
    /// How many savepoints `inSavepoint` holds open.
    var openSavepoints = 0

    /// How long a writer waits for another process's lock before giving up with `locked`.
    public static let busyTimeoutMilliseconds: Int32 = 15_000

    /// Opens (creating with mode 0600 if `create`) and configures a database: WAL, full sync,
    /// foreign keys, the busy timeout. Nothing else: no schema, no functions.
    public init(opening path: String, create: Bool = true) throws {
        self.path = path
        // ":memory:" is SQLite's name for a database that lives in memory only (no file to make).
        let exists = path == ":memory:" || FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create else {
                throw StorageError(.notInitialised, resultCode: 0,
                                   message: "no clinic database at \(path); run 'clinic init' or 'clinic demo' first")
            }
            try Database.createPrivateFile(at: path)
        }
        _ = Database.configured
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
        installHooks()
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"] {
            try makeStatement(sql: pragma).execute()
        }
    }

    /// Process-wide SQLite settings, made once before the first connection opens: no memory
    /// statistics, which would take a global mutex on every allocation.
    private static let configured: Void = { _ = clinic_sqlite3_disable_memstatus() }()

    deinit {
        removeHooks()
        observers.removeAll()
        attachments.removeAll()
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
        if fd >= 0 { close(fd) }
    }

    // MARK: Statements

    /// A statement compiled once and kept for the connection's life: for SQL that runs often (a
    /// booking's checks, the capture's seal, import's per-change lookups).
    public func cachedStatement(sql: String) throws -> Prepared {
        if let cached = cache[sql] { return Prepared(statement: cached, database: self) }
        let statement = try compile(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        cache[sql] = statement
        return Prepared(statement: statement, database: self)
    }

    /// A statement compiled for one use and finalised when the caller lets go of it: a PRAGMA, a
    /// migration step, a statement whose text is built for the occasion.
    public func makeStatement(sql: String) throws -> Prepared {
        Prepared(statement: try compile(sql, flags: 0), database: self)
    }

    /// A cached statement to keep and run many times (import's and merge's per-change statements),
    /// skipping even the cache lookup, which hashes the whole SQL text, on every run.
    public func prepare(_ sql: String) throws -> Prepared { try cachedStatement(sql: sql) }

    private func compile(_ sql: String, flags: UInt32) throws -> Statement {
        var pointer: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, flags, &pointer, nil)
        guard result == SQLITE_OK, let pointer else { throw StorageError(resultCode: result, handle: handle) }
        return Statement(pointer, database: handle)
    }

    /// Runs one cached statement that returns no rows (the fixed SQL of a repository).
    public func execute(_ sql: String, _ arguments: [SQLBindable] = []) throws {
        try cachedStatement(sql: sql).execute(arguments)
    }

    /// Runs a cached query and returns every row.
    public func query(_ sql: String, _ arguments: [SQLBindable] = []) throws -> [Row] {
        try cachedStatement(sql: sql).query(arguments)
    }

    /// Runs a cached query and calls `body` for each row without collecting them (for large scans).
    public func forEach(_ sql: String, _ arguments: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        try cachedStatement(sql: sql).forEach(arguments, body)
    }

    /// The first row of a cached query, or nil.
    public func first(_ sql: String, _ arguments: [SQLBindable] = []) throws -> Row? {
        try cachedStatement(sql: sql).first(arguments)
    }

    /// Runs a cached query and hands each row to `body` as a cursor, reading only the columns asked
    /// for (hot loops: no row array, no string for a column nobody reads).
    public func each(_ sql: String, _ arguments: [SQLBindable] = [], _ body: (Cursor) throws -> Void) throws {
        try cachedStatement(sql: sql).each(arguments, body)
    }

    /// Runs several statements with no arguments (schema scripts), each compiled for this one use.
    public func executeScript(_ sql: String) throws {
        try sql.withCString { text in
            var rest: UnsafePointer<CChar>? = text
            while let start = rest, start.pointee != 0 {
                var pointer: OpaquePointer?
                let result = sqlite3_prepare_v2(handle, start, -1, &pointer, &rest)
                guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: handle) }
                guard let pointer else { continue }  // whitespace or a comment
                try Prepared(statement: Statement(pointer, database: handle), database: self).execute()
            }
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }
    /// The rowid of the last row this connection inserted.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `PRAGMA user_version`: the number of the last migration applied.
    public func schemaVersion() throws -> Int {
        Int(try makeStatement(sql: "PRAGMA user_version").first()?.int(0) ?? 0)
    }

    /// How many statements the connection keeps compiled (`clinic-bench checks`).
    @_spi(Checks) public var cachedStatementCount: Int { cache.count }

    // MARK: Attachments

    /// The object of type `T` this connection keeps for a layer above (made by `make` the first time
    /// it is asked for), so per-connection state lives with the type that owns it, not in `Database`.
    func attached<T: AnyObject>(_ make: () throws -> T) rethrows -> T {
        if let kept = attachments[ObjectIdentifier(T.self)] as? T { return kept }
        let made = try make()
        attachments[ObjectIdentifier(T.self)] = made
        return made
    }
}
