import Models

/// A database failure: the engine's result code (SQLite's; the mapping is in SQLite/StorageError+SQLite.swift) and a stable code string, never bound values.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// The catalogued code: `locked`, `corrupt`, `unreadable`, `unwritable`, `schema-too-new`, `constraint`, `sqlite`.
    public let code: ErrorCode
    /// The SQLite extended result code, or 0 when the failure is ours.
    public let resultCode: Int32
    /// What failed, safe to show: SQLite's own text describes the statement, not the values bound to it.
    public let message: String
    /// PostgreSQL's SQLSTATE for a failure the server reported, nil on SQLite.
    public let sqlState: String?

    public init(_ code: ErrorCode, resultCode: Int32, message: String, sqlState: String? = nil) {
        self.code = code
        self.resultCode = resultCode
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { "\(code): \(message)" }

    /// An extended result code keeps its primary code in the low byte (`SQLITE_CONSTRAINT_FOREIGNKEY`
    /// is `SQLITE_CONSTRAINT` with 3 above it).
    static let primaryMask: Int32 = 0xFF

    /// The primary SQLite result code (`SQLITE_CONSTRAINT` for every kind of constraint), or 0 when the failure is ours.
    public var primaryResultCode: Int32 { resultCode & StorageError.primaryMask }

    /// True when a row names a row that is not there (an immediate foreign key): SQLite has undone
    /// the statement, and the transaction goes on.
    public var isForeignKeyViolation: Bool { resultCode == StorageError.constraintForeignKey || sqlState == "23503" }

    /// True when PostgreSQL gave up on the transaction only because of another one (a serialization
    /// failure, a deadlock, a lock not granted in time): running it again is expected to succeed.
    public var isRetryable: Bool { sqlState.map(StorageError.retryableStates.contains) ?? false }

    /// SQLSTATEs 40001 (serialization_failure), 40P01 (deadlock_detected), 55P03 (lock_not_available).
    static let retryableStates: Set<String> = ["40001", "40P01", "55P03"]

    /// A write asked for inside `Database.read`, which is query-only: a bug in the caller, which must
    /// say it writes with `write`. Nothing was changed.
    static let writeInsideRead = StorageError(.writeInsideRead, resultCode: sqliteReadOnly,
                                              message: "a read tried to write; nothing was changed (a write must run in 'write')")
}
