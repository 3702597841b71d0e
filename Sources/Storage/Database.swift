import Foundation
import Models

/// One connection to a clinic database: runs statements, keeps the ones that run often compiled, and
/// tells its observers about transactions. The engine is behind `backend` (`DatabaseBackend`; SQLite's
/// is in Storage/SQLite). It knows the engine, not the clinic: change capture, note ranking and the
/// schema are added by whoever opens a clinic database (`Database(path:)`, Database+Clinic.swift).
///
/// Not `Sendable`: a connection belongs to the task that opened it. Two processes share a
/// database file safely through WAL, `BEGIN IMMEDIATE` and the busy timeout.
public final class Database {
    let backend: any DatabaseBackend
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

    /// Opens (creating with mode 0600 if `create`) and configures an SQLite database: WAL, full sync,
    /// foreign keys, the busy timeout. Nothing else: no schema, no functions.
    public init(opening path: String, create: Bool = true) throws {
        self.path = path
        backend = try SQLiteBackend(opening: path, create: create)
        try backend.didOpen(self)
    }

    /// Connects to a clinic database on a PostgreSQL server (`postgresql://` in `--db`), the password
    /// found as libpq finds it. Nothing else: no schema check, no capture.
    public init(postgres address: PostgresAddress, environment: [String: String] = ProcessInfo.processInfo.environment,
                warn: @escaping (String) -> Void = PostgresPassword.printWarning) throws {
        path = address.display
        backend = try PostgresBackend(address, environment: environment, warn: warn)
        try backend.didOpen(self)
    }

    deinit {
        backend.willClose()
        observers.removeAll()
        attachments.removeAll()
        backend.close()
    }

    /// The SQL fragments that differ between engines (`SQLDialect`).
    public var dialect: SQLDialect { backend.dialect }

    // MARK: Statements

    /// A statement compiled once and kept for the connection's life: for SQL that runs often (a
    /// booking's checks, the capture's seal, import's per-change lookups).
    public func cachedStatement(sql: String) throws -> Prepared {
        Prepared(statement: try backend.prepare(sql, cached: true), database: self)
    }

    /// A statement compiled for one use and finalised when the caller lets go of it: a PRAGMA, a
    /// migration step, a statement whose text is built for the occasion.
    public func makeStatement(sql: String) throws -> Prepared {
        Prepared(statement: try backend.prepare(sql, cached: false), database: self)
    }

    /// A cached statement to keep and run many times (import's and merge's per-change statements),
    /// skipping even the cache lookup, which hashes the whole SQL text, on every run.
    public func prepare(_ sql: String) throws -> Prepared { try cachedStatement(sql: sql) }

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
        try backend.executeScript(sql, on: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { backend.changes }
    /// The rowid of the last row this connection inserted.
    public var lastInsertRowID: Int64 { backend.lastInsertRowID }

    /// The number of the last migration applied (SQLite's `PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try backend.schemaVersion(on: self)
    }

    /// How many statements the connection keeps compiled (`clinic-bench checks`).
    @_spi(Checks) public var cachedStatementCount: Int { backend.cachedStatementCount }

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
