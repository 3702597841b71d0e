import Foundation
import Models
import PostgresNIO

/// One connection to a clinic database on a PostgreSQL server under a `Database` (design note §3):
/// statements in SQLite's spelling rewritten once to PostgreSQL's (`PostgresSQLText`), values bound
/// by kind, rows read as the same SQLite-shaped values. Writes run at READ COMMITTED (the engine's
/// constraints and row locks serialise what must be serialised); reads see one REPEATABLE READ,
/// READ ONLY snapshot, as an SQLite read transaction does.
final class PostgresBackend: DatabaseBackend {
    let link: PostgresLink
    /// Texts rewritten once and kept for the connection's life (`prepare(_:cached: true)`).
    private var cache: [String: PostgresStatement] = [:]
    private(set) var isInTransaction = false
    private(set) var changes = 0

    /// Connects and sets the search path to the clinic schema, so the stores' unqualified names resolve.
    init(_ address: PostgresAddress, environment: [String: String], warn: @escaping (String) -> Void) throws {
        link = try PostgresLink(address, environment: environment, warn: warn)
        // One round trip at every command's start: the search path, so the stores' unqualified names
        // resolve, and the lock timeout: a lock held elsewhere (an open psql transaction, a stuck session)
        // fails the statement after this long instead of hanging the desk; `write` runs the whole write
        // again, then says `locked`.
        try link.execute("SELECT set_config('search_path', 'clinic, public', false), set_config('lock_timeout', $1, false)",
                         [.text("\(PostgresBackend.lockTimeoutMilliseconds)ms")])
    }

    var dialect: SQLDialect { .postgres }

    /// How long one statement waits for a lock; with `Database.writeRetries`, a write gives up after
    /// about 15 s, SQLite's busy timeout.
    static let lockTimeoutMilliseconds = 2_500

    func didOpen(_ db: Database) throws {}
    func willClose() {}
    func close() {
        cache.removeAll()
        link.close()
    }

    // MARK: Statements

    func prepare(_ sql: String, cached: Bool) throws -> BackendStatement {
        guard cached else { return .postgres(PostgresStatement(sql, backend: self)) }
        if let kept = cache[sql] { return .postgres(kept) }
        let statement = PostgresStatement(sql, backend: self)
        cache[sql] = statement
        return .postgres(statement)
    }

    /// Runs `statement` with `values`; its rows, and the count of rows it changed kept for `changes`.
    func run(_ statement: PostgresStatement, _ values: [SQLValue]) throws -> [PostgresRow] {
        guard values.count == statement.parameterCount else {
            throw StorageError(.postgres, resultCode: 0,
                               message: "statement expects \(statement.parameterCount) arguments, got \(values.count)")
        }
        let result = try link.rows(statement.sql, values)
        changes = result.changed
        return result.rows
    }

    func executeScript(_ sql: String, on db: Database) throws { try link.executeScript(sql) }

    var lastInsertRowID: Int64 { 0 }
    var cachedStatementCount: Int { cache.count }

    /// `clinic.schema_version`, or 0 when the database has no clinic schema yet.
    func schemaVersion(on db: Database) throws -> Int {
        let present = try link.query("SELECT to_regclass('clinic.schema_version') IS NOT NULL")
        guard present.first?.first == .integer(1) else { return 0 }
        guard case .integer(let version) = try link.query("SELECT version FROM clinic.schema_version").first?.first else { return 0 }
        return Int(version)
    }

    // MARK: Transactions

    func begin(_ kind: TransactionKind, on db: Database) throws {
        switch kind {
        case .write: try link.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        case .read: try link.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
        isInTransaction = true
    }

    /// Asks the observers first, as SQLite's commit hook does; a refusal rolls back.
    func commit(on db: Database) throws {
        guard db.observers.allSatisfy({ $0.databaseMayCommit(db) }) else {
            try rollback(on: db)
            throw StorageError(.constraint, resultCode: 0, message: "the commit was refused; nothing was changed")
        }
        // A failed COMMIT ends the transaction too: PostgreSQL has rolled it back.
        defer { isInTransaction = false }
        do {
            try link.execute("COMMIT")
        } catch {
            db.notifyRollback()
            throw error
        }
    }

    func rollback(on db: Database) throws {
        isInTransaction = false
        try link.execute("ROLLBACK")
        db.notifyRollback()
    }

    func savepoint(_ name: String, on db: Database) throws { try link.execute("SAVEPOINT \(name)") }
    func release(_ name: String, on db: Database) throws { try link.execute("RELEASE SAVEPOINT \(name)") }
    func rollbackTo(_ name: String, on db: Database) throws { try link.execute("ROLLBACK TO SAVEPOINT \(name)") }

    /// A `read` opens READ ONLY from its BEGIN; a read nested in a write is kept query-only by
    /// `Database`'s own guard (PostgreSQL cannot make a transaction read-only once it has run a query).
    func setQueryOnly(_ on: Bool, on db: Database) throws {}

    func isQueryOnlyRefusal(_ error: any Error) -> Bool { (error as? StorageError)?.sqlState == "25006" }
}

/// A statement for PostgreSQL: its text rewritten once, and the values bound one by one between runs.
final class PostgresStatement {
    let sql: String
    let parameterCount: Int
    unowned let backend: PostgresBackend
    /// Values bound by `bind(_:at:)` for the next `run`.
    var bound: [SQLValue]

    init(_ text: String, backend: PostgresBackend) {
        let rewritten = PostgresSQLText.rewrite(text)
        sql = rewritten.sql
        parameterCount = rewritten.parameterCount
        self.backend = backend
        bound = Array(repeating: .null, count: rewritten.parameterCount)
    }

    func bind(_ value: SQLValue, at index: Int32) throws {
        guard index >= 1, Int(index) <= parameterCount else {
            throw StorageError(.postgres, resultCode: 0, message: "no parameter \(index) in the statement")
        }
        bound[Int(index) - 1] = value
    }

    func run(_ values: [SQLValue]) throws -> [PostgresRow] { try backend.run(self, values) }

    /// A run stepped row by row (`BackendStatement.stepUnobserved`): the rows of the bound values.
    private var stepped: (rows: [PostgresRow], next: Int)?
    private(set) var currentRow: [SQLValue] = []

    func stepUnobserved() throws -> Bool {
        if stepped == nil { stepped = (try run(bound), 0) }
        guard let (rows, next) = stepped, next < rows.count else { return false }
        currentRow = try PostgresColumns.values(rows[next])
        stepped = (rows, next + 1)
        return true
    }

    func resetUnobserved() {
        stepped = nil
        currentRow = []
    }
}

/// A row as SQLite-shaped values, read once from the server's cells.
enum PostgresColumns {
    static func values(_ row: PostgresRow) throws -> [SQLValue] {
        try row.map(PostgresLink.value)
    }
}

extension SQLDialect {
    /// PostgreSQL's forms.
    public static let postgres = SQLDialect(
        jsonField: { column, key in "(\(column)::jsonb->>'\(key)')" },
        idList: { parameter in "(SELECT e.v::bigint AS value FROM jsonb_array_elements_text(\(parameter)::jsonb) AS e(v)) AS ids" },
        forUpdate: " FOR UPDATE",
        caseInsensitiveLike: "ILIKE",
        greatest: "greatest",
        rowid: "seq",
        textList: { parameter in "jsonb_array_elements_text(\(parameter)::jsonb) AS value" },
        keyLock: "SELECT 1 FROM (SELECT pg_advisory_xact_lock(\(keyLockClass), hashtext(?))) AS held")

    /// The first of the two keys `keyLock` takes: "CL" in ASCII, apart from the commit lock's single 64-bit key.
    static let keyLockClass = 0x434C
}
