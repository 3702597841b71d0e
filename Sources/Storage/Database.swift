import CSQLite
import Foundation
import Models

/// One connection to a site's SQLite database. Owns the handle and its prepared statements.
///
/// Not `Sendable`: a connection belongs to the task that opened it. Two processes share a
/// database file safely through WAL, `BEGIN IMMEDIATE` and the busy timeout.
public final class Database {
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// The path the database was opened from.
    public let path: String
    /// The clock that stamps captured changes (and `CLINIC_NOW` in tests).
    public var clock = ClinicClock()
    /// True once the schema has change capture, so every write seals its changes before commit.
    var capturesChanges = false
    /// Changes the capture triggers handed over during the current `write` (see `CaptureBuffer`).
    let captured = CaptureBuffer()
    /// The site's time zone as last looked up on this connection (`SiteRepository.zone`).
    var zoneCache: SiteTimeZone?
    /// The statements `ChangeCapture.seal` runs, kept once compiled.
    private var sealing: ChangeCapture.Statements?

    /// How long a writer waits for another process's lock before giving up with `locked`.
    public static let busyTimeoutMilliseconds: Int32 = 15_000

    /// Opens (creating with mode 0600 if `create`) and configures a database, then brings its
    /// schema up to date. Refuses a database newer than this binary (`schema-too-new`).
    public init(path: String, create: Bool = true, migrate: Bool = true) throws {
        self.path = path
        // ":memory:" is SQLite's name for a database that lives in memory only (no file to make).
        let exists = path == ":memory:" || FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create else {
                throw StorageError(.notInitialised, resultCode: 0,
                                   message: "no clinic database at this path; run 'clinic init' or 'clinic demo' first")
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
        try CaptureBuffer.install(on: self)
        try NoteRank.install(on: handle)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA temp_store = MEMORY")
        if migrate {
            try Migrations.migrate(self)
        }
        capturesChanges = try schemaVersion() >= Migrations.captureVersion
    }

    /// Process-wide SQLite settings, made once before the first connection opens: no memory
    /// statistics, which would take a global mutex on every allocation.
    private static let configured: Void = { _ = clinic_sqlite3_disable_memstatus() }()

    deinit {
        CaptureBuffer.uninstall(from: handle)
        sealing = nil
        statements.removeAll()
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

    /// Runs one statement that returns no rows; compiled once and cached.
    public func execute(_ sql: String, _ arguments: [SQLBindable] = []) throws {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        try run(statement)
    }

    /// Steps a statement to its end, keeping the captured-change buffer in line with what SQLite
    /// kept: a failed statement drops what it captured; a savepoint statement is applied to it.
    private func run(_ statement: Statement) throws {
        let mark = captured.mark()
        do {
            while try statement.step() {}
        } catch {
            captured.statementFailed(back: mark)
            throw error
        }
        if let savepoint = statement.savepoint { captured.apply(savepoint) }
    }

    /// Runs several statements with no arguments (schema scripts); not cached.
    public func executeScript(_ sql: String) throws {
        try sql.withCString { text in
            var rest: UnsafePointer<CChar>? = text
            while let start = rest, start.pointee != 0 {
                var pointer: OpaquePointer?
                let result = sqlite3_prepare_v2(handle, start, -1, &pointer, &rest)
                guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: handle) }
                guard let pointer else { continue }  // whitespace or a comment
                try run(Statement(pointer, database: handle))
            }
        }
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ arguments: [SQLBindable] = []) throws -> [Row] {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        var rows: [Row] = []
        let mark = captured.mark()
        do {
            while try statement.step() {
                rows.append(statement.row())
            }
        } catch {
            captured.statementFailed(back: mark)
            throw error
        }
        return rows
    }

    /// Runs a query and calls `body` for each row without collecting them (for large scans).
    public func forEach(_ sql: String, _ arguments: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        let mark = captured.mark()
        while try stepCapturing(statement, mark: mark) {
            try body(statement.row())
        }
    }

    /// The first row of a query, or nil.
    public func first(_ sql: String, _ arguments: [SQLBindable] = []) throws -> Row? {
        let statement = try prepared(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        return try stepCapturing(statement, mark: captured.mark()) ? statement.row() : nil
    }

    /// Steps `statement`; when it fails, SQLite undoes what the statement wrote, and so the changes
    /// its triggers captured are dropped too.
    private func stepCapturing(_ statement: Statement, mark: Int) throws -> Bool {
        do {
            return try statement.step()
        } catch {
            captured.statementFailed(back: mark)
            throw error
        }
    }

    /// Runs a query and hands each row to `body` as a cursor, reading only the columns asked for
    /// (hot loops: no row array, no string for a column nobody reads).
    public func each(_ sql: String, _ arguments: [SQLBindable] = [], _ body: (Cursor) throws -> Void) throws {
        try prepare(sql).each(arguments, body)
    }

    /// A compiled statement to keep and run many times (import's per-change statements), skipping
    /// the cache lookup, which hashes the whole SQL text, on every call.
    public func prepare(_ sql: String) throws -> Prepared { Prepared(statement: try prepared(sql)) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }
    /// The rowid of the last row this connection inserted.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The prepared statement for `sql`, compiled once per connection.
    func prepared(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        var pointer: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard result == SQLITE_OK, let pointer else { throw StorageError(resultCode: result, handle: handle) }
        let statement = Statement(pointer, database: handle)
        statements[sql] = statement
        return statement
    }

    /// The seal's statements, compiled on the first sealing write.
    func sealStatements() throws -> ChangeCapture.Statements {
        if let sealing { return sealing }
        let compiled = try ChangeCapture.Statements(self)
        sealing = compiled
        return compiled
    }

    // MARK: Schema version

    /// `PRAGMA user_version`: the number of the last migration applied.
    public func schemaVersion() throws -> Int {
        Int(try first("PRAGMA user_version")?.int(0) ?? 0)
    }
}

/// A compiled statement; finalized when the connection's cache lets go of it.
final class Statement {
    let pointer: OpaquePointer
    private let database: OpaquePointer
    /// Set when the statement opens, releases or rolls back to a savepoint.
    let savepoint: CaptureBuffer.Savepoint?

    init(_ pointer: OpaquePointer, database: OpaquePointer) {
        self.pointer = pointer
        self.database = database
        savepoint = CaptureBuffer.Savepoint(sql: String(cString: sqlite3_sql(pointer)))
    }

    deinit { sqlite3_finalize(pointer) }

    /// Binds a string's own UTF-8 with its length: no NUL-terminated copy is made first. An empty
    /// string's bytes may have no address, and a nil pointer would bind NULL.
    static func bindText(_ pointer: OpaquePointer, _ index: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(pointer, index, "", 0, SQLITE_TRANSIENT_VALUE) }
            return sqlite3_bind_text(pointer, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                                     SQLITE_TRANSIENT_VALUE)
        }
    }

    func bind(_ arguments: [SQLBindable]) throws {
        let expected = Int(sqlite3_bind_parameter_count(pointer))
        guard expected == arguments.count else {
            throw StorageError(.sqlite, resultCode: SQLITE_RANGE,
                               message: "statement expects \(expected) arguments, got \(arguments.count)")
        }
        for (offset, argument) in arguments.enumerated() {
            let result = bindValue(argument.sqlValue, at: Int32(offset + 1))
            guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: database) }
        }
    }

    /// Binds one parameter (from 1); SQLite's result code.
    func bindValue(_ value: SQLValue, at index: Int32) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(pointer, index)
        case .integer(let v): return sqlite3_bind_int64(pointer, index, v)
        case .real(let v): return sqlite3_bind_double(pointer, index, v)
        case .text(let s): return Self.bindText(pointer, index, s)
        case .blob(let b):
            return b.withUnsafeBytes { sqlite3_bind_blob(pointer, index, $0.baseAddress, Int32(b.count), SQLITE_TRANSIENT_VALUE) }
        }
    }

    /// Advances; true when a row is ready.
    func step() throws -> Bool {
        let result = sqlite3_step(pointer)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = StorageError(resultCode: result, handle: database)
            sqlite3_reset(pointer)
            throw error
        }
    }

    func reset() { sqlite3_reset(pointer) }

    func row() -> Row {
        let cursor = Cursor(pointer: pointer)
        return Row(values: (0..<sqlite3_column_count(pointer)).map(cursor.value))
    }
}

/// A statement kept by its caller; see `Database.prepare`.
public struct Prepared {
    let statement: Statement

    /// Runs the statement for its effect.
    public func execute(_ arguments: [SQLBindable] = []) throws {
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// The first row, or nil.
    public func first(_ arguments: [SQLBindable] = []) throws -> Row? {
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step() ? statement.row() : nil
    }

    /// True when the query returns at least one row.
    public func exists(_ arguments: [SQLBindable] = []) throws -> Bool {
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step()
    }

    /// Each row as a cursor.
    public func each(_ arguments: [SQLBindable] = [], _ body: (Cursor) throws -> Void) throws {
        try statement.bind(arguments)
        defer { statement.reset() }
        let cursor = Cursor(pointer: statement.pointer)
        while try statement.step() { try body(cursor) }
    }
}

/// The current row of a running statement; valid only inside the closure that received it.
public struct Cursor {
    let pointer: OpaquePointer

    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(pointer, index) == SQLITE_NULL }
    public func int(_ index: Int32) -> Int64 { sqlite3_column_int64(pointer, index) }
    public func text(_ index: Int32) -> String { Cursor.text(pointer, index) }
    public func optionalText(_ index: Int32) -> String? { isNull(index) ? nil : text(index) }
    /// The column as SQLite holds it.
    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(pointer, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(pointer, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(pointer, index))
        case SQLITE_TEXT: return .text(Cursor.text(pointer, index))
        case SQLITE_BLOB:
            let size = Int(sqlite3_column_bytes(pointer, index))
            guard let base = sqlite3_column_blob(pointer, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: size)))
        default: return .null
        }
    }

    /// A text column's UTF-8 bytes as SQLite holds them, valid only inside `body` (no String is made).
    public func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let base = sqlite3_column_text(pointer, index) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(pointer, index))))
    }

    /// A text column as a String, by its byte length rather than a scan for the terminator.
    static func text(_ pointer: OpaquePointer, _ index: Int32) -> String {
        guard let base = sqlite3_column_text(pointer, index) else { return "" }
        let count = Int(sqlite3_column_bytes(pointer, index))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}

/// SQLite's "copy this buffer" destructor, which the C macro hides from Swift.
let SQLITE_TRANSIENT_VALUE = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
