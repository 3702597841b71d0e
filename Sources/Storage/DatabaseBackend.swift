/// What `Database` needs from the engine under it (design note §3 "The seam"): compiling statements,
/// transactions and savepoints, the schema version and the SQL dialect. `SQLiteBackend` is the only
/// one today (Storage/SQLite); a `PostgresBackend` joins it with a case in `BackendStatement` and
/// `Cursor.Source`. Not `Sendable`: a backend belongs to its connection.
protocol DatabaseBackend: AnyObject {
    /// Compiles `sql`; kept for the connection's life when `cached`.
    func prepare(_ sql: String, cached: Bool) throws -> BackendStatement
    /// Runs several statements with no arguments (schema scripts), each through `db`.
    func executeScript(_ sql: String, on db: Database) throws
    /// Opens a transaction: `.write` serialises with every other writer, `.read` sees one snapshot.
    func begin(_ kind: TransactionKind, on db: Database) throws
    func commit(on db: Database) throws
    func rollback(on db: Database) throws
    func savepoint(_ name: String, on db: Database) throws
    func release(_ name: String, on db: Database) throws
    func rollbackTo(_ name: String, on db: Database) throws
    /// Makes the connection refuse writes (inside `read`) or accept them again.
    func setQueryOnly(_ on: Bool, on db: Database) throws
    /// True when `error` is the engine refusing a write because the connection is query-only.
    func isQueryOnlyRefusal(_ error: any Error) -> Bool
    var isInTransaction: Bool { get }
    func schemaVersion(on db: Database) throws -> Int
    var dialect: SQLDialect { get }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { get }
    /// The rowid of the last row this connection inserted.
    var lastInsertRowID: Int64 { get }
    /// How many statements the connection keeps compiled.
    var cachedStatementCount: Int { get }
    /// Called once `db` is fully made: hooks and connection settings.
    func didOpen(_ db: Database) throws
    /// Called from `db`'s deinit, before the observers and attachments go: unhooks.
    func willClose()
    /// Called from `db`'s deinit last: drops compiled statements and closes the connection.
    func close()
}

/// How a transaction opens (`DatabaseBackend.begin`).
enum TransactionKind {
    /// `write`: serialised with every other writer from its first statement (SQLite `BEGIN IMMEDIATE`).
    case write
    /// `read`: one snapshot for every query (SQLite `BEGIN DEFERRED`).
    case read
}

/// A compiled statement of one backend. The enum switch per call is the predictable branch the design
/// describes (no existential on the hot path). A PostgresBackend adds `case postgres(...)` here and in
/// `Cursor.Source`; callers of `Prepared` and `Cursor` do not change.
enum BackendStatement {
    case sqlite(Statement)
    case postgres(PostgresStatement)
}
