import CSQLite

/// SQLite's result codes mapped to the catalogued codes, and the SQLite constants `StorageError` names.
extension StorageError {
    init(resultCode: Int32, handle: OpaquePointer?) {
        let primary = resultCode & StorageError.primaryMask
        self.resultCode = resultCode
        sqlState = nil
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

    /// `SQLITE_CONSTRAINT_FOREIGNKEY`, a macro Swift does not import.
    static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)

    /// `SQLITE_READONLY`, the code a write refused inside `read` carries.
    static let sqliteReadOnly: Int32 = SQLITE_READONLY

    /// Keeps only the constraint kind and column names of SQLite's text; values are never in it,
    /// but trigger messages may be ours and are kept as they are.
    private static func constraintKind(_ detail: String) -> String {
        detail.count <= 120 ? detail : String(detail.prefix(120))
    }
}
