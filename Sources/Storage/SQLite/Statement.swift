import CSQLite

/// A compiled statement; finalised when the last one holding it (the connection's cache, or the
/// caller of a one-off `makeStatement`) lets go of it.
final class Statement {
    let pointer: OpaquePointer
    private let database: OpaquePointer

    init(_ pointer: OpaquePointer, database: OpaquePointer) {
        self.pointer = pointer
        self.database = database
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
        Row(values: (0..<sqlite3_column_count(pointer)).map { SQLiteColumn.value(pointer, $0) })
    }
}

/// How a `Cursor` reads a row of an SQLite statement (`Cursor.Source.sqlite`).
enum SQLiteColumn {
    @inline(__always) static func isNull(_ pointer: OpaquePointer, _ index: Int32) -> Bool { sqlite3_column_type(pointer, index) == SQLITE_NULL }
    @inline(__always) static func int(_ pointer: OpaquePointer, _ index: Int32) -> Int64 { sqlite3_column_int64(pointer, index) }

    /// The column as SQLite holds it.
    static func value(_ pointer: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(pointer, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(pointer, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(pointer, index))
        case SQLITE_TEXT: return .text(text(pointer, index))
        case SQLITE_BLOB:
            let size = Int(sqlite3_column_bytes(pointer, index))
            guard let base = sqlite3_column_blob(pointer, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: size)))
        default: return .null
        }
    }

    /// A text column's UTF-8 bytes as SQLite holds them, valid only inside `body` (no String is made).
    @inline(__always) static func withText<T>(_ pointer: OpaquePointer, _ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let base = sqlite3_column_text(pointer, index) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base, count: Int(sqlite3_column_bytes(pointer, index))))
    }

    /// A text column as a String, by its byte length rather than a scan for the terminator.
    @inline(__always) static func text(_ pointer: OpaquePointer, _ index: Int32) -> String {
        guard let base = sqlite3_column_text(pointer, index) else { return "" }
        let count = Int(sqlite3_column_bytes(pointer, index))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}

/// SQLite's "copy this buffer" destructor, which the C macro hides from Swift.
let SQLITE_TRANSIENT_VALUE = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// What `clinic-bench checks` reads to confirm statements stay compiled: internals, not a contract.
extension Prepared {
    /// How many times SQLite recompiled this statement since it was prepared (0 on PostgreSQL, which
    /// gets each statement's text again on every run).
    @_spi(Checks) public var recompilations: Int {
        switch statement {
        case .sqlite(let statement): return Int(sqlite3_stmt_status(statement.pointer, SQLITE_STMTSTATUS_REPREPARE, 0))
        case .postgres: return 0
        }
    }
}
