import CSQLite
import Models

/// A database failure: the SQLite result code and a stable code string, never bound values.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// The catalogued code: `locked`, `corrupt`, `unreadable`, `unwritable`, `schema-too-new`, `constraint`, `sqlite`.
    public let code: ErrorCode
    /// The SQLite extended result code, or 0 when the failure is ours.
    public let resultCode: Int32
    /// What failed, safe to show: SQLite's own text describes the statement, not the values bound to it.
    public let message: String

    public init(_ code: ErrorCode, resultCode: Int32, message: String) {
        self.code = code
        self.resultCode = resultCode
        self.message = message
    }

    init(resultCode: Int32, handle: OpaquePointer?) {
        let primary = resultCode & StorageError.primaryMask
        self.resultCode = resultCode
        let detail = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(resultCode))
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED:
            code = .locked
            message = "the database stayed locked by another clinic process; try again"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            code = .corrupt
            message = "the database file is damaged or not a clinic database"
        case SQLITE_CANTOPEN, SQLITE_PERM:
            code = .unreadable
            message = "cannot open the database file (\(String(cString: sqlite3_errstr(resultCode))))"
        case SQLITE_IOERR where resultCode == StorageError.ioReadFailure || resultCode == StorageError.ioShortRead:
            code = .unreadable
            message = "cannot read the database file (\(String(cString: sqlite3_errstr(resultCode))))"
        case SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL:
            code = .unwritable
            message = "cannot write the database file (\(String(cString: sqlite3_errstr(resultCode))))"
        case SQLITE_CONSTRAINT:
            code = .constraint
            message = "a database constraint refused the change (\(StorageError.constraintKind(detail)))"
        default:
            code = .sqlite
            message = "database error \(resultCode): \(String(cString: sqlite3_errstr(resultCode)))"
        }
    }

    /// SQLite's extended codes for a failed read (sqlite3.h's `SQLITE_IOERR_READ` and
    /// `SQLITE_IOERR_SHORT_READ`, macros Swift does not import).
    static let ioReadFailure = SQLITE_IOERR | (1 << 8)
    static let ioShortRead = SQLITE_IOERR | (2 << 8)

    public var description: String { "\(code): \(message)" }

    /// An extended result code keeps its primary code in the low byte (`SQLITE_CONSTRAINT_FOREIGNKEY`
    /// is `SQLITE_CONSTRAINT` with 3 above it).
    static let primaryMask: Int32 = 0xFF

    /// The primary SQLite result code (`SQLITE_CONSTRAINT` for every kind of constraint), or 0 when the failure is ours.
    public var primaryResultCode: Int32 { resultCode & StorageError.primaryMask }

    /// True when a row names a row that is not there (an immediate foreign key): SQLite has undone
    /// the statement, and the transaction goes on.
    public var isForeignKeyViolation: Bool { resultCode == StorageError.constraintForeignKey }

    /// `SQLITE_CONSTRAINT_FOREIGNKEY`, a macro Swift does not import.
    static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)

    /// A write asked for inside `Database.read`, which is query-only: a bug in the caller, which must
    /// say it writes with `write`. Nothing was changed.
    static let writeInsideRead = StorageError(.writeInsideRead, resultCode: SQLITE_READONLY,
                                              message: "a read tried to write; nothing was changed (a write must run in 'write')")

    /// Keeps only the constraint kind and column names of SQLite's text; values are never in it,
    /// but trigger messages may be ours and are kept as they are.
    private static func constraintKind(_ detail: String) -> String {
        detail.count <= 120 ? detail : String(detail.prefix(120))
    }
}
