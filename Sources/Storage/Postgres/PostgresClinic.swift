import Foundation
import Models

/// Which engine holds a database.
public enum DatabaseEngine: Sendable, Equatable {
    case sqlite, postgres
}

extension Database {
    /// The engine under this connection.
    public var engine: DatabaseEngine { backend is PostgresBackend ? .postgres : .sqlite }

    /// Serialises the rest of this write with every other write that names the same `key`: for a
    /// read-then-insert whose rule no index can hold (the next chart number, a free handle or slug, the
    /// passphrase attempts left). SQLite's `BEGIN IMMEDIATE` already serialises every write; on
    /// PostgreSQL, at READ COMMITTED, a transaction-scoped advisory lock does it, released at COMMIT.
    public func serialiseWrites(on key: String) throws {
        guard let keyLock = dialect.keyLock else { return }
        _ = try first(keyLock, [key])
    }

    /// Opens a site's database wherever `--db` puts it: a file as `Database(path:)` does, or a clinic
    /// database on a PostgreSQL server, with its change seal installed and its schema made when
    /// `create` is true and the database is empty (`clinic init`, `clinic demo`). A PostgreSQL database
    /// is never created here: the server's administrator creates it (README, "One site, many workstations").
    /// `warn` takes what the connection has to say that is not an error (a password file readable by
    /// others, which libpq ignores as well): the CLI prints it, or keeps quiet under `--json`.
    public convenience init(location: DatabaseLocation, create: Bool = true, migrate: Bool = true,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            warn: @escaping (String) -> Void = PostgresPassword.printWarning) throws {
        switch location {
        case .sqlite(let path):
            try self.init(path: path, create: create, migrate: migrate)
        case .postgres(let address):
            try self.init(postgres: address, environment: environment, warn: warn)
            observers.append(PostgresSealer())
            if migrate { try PostgresMigrator.migrate(self, create: create, address: address) }
        }
    }
}

/// Seals each `write`'s staged changes just before it commits (`PostgresChangeSeal`): the PostgreSQL
/// counterpart of SQLite's capture buffer. Before the site exists there is no origin, and what the
/// triggers staged is dropped, as SQLite's seal drops it.
final class PostgresSealer: TransactionObserver {
    private var origin: String?

    func databaseWillCommit(_ db: Database) throws {
        guard let backend = db.backend as? PostgresBackend else { return }
        if origin == nil { origin = try db.first("SELECT code FROM site WHERE is_local = 1")?.string(0) }
        guard let origin else {
            try backend.link.execute("DELETE FROM clinic.change_staging WHERE txid = txid_current()")
            return
        }
        _ = try PostgresChangeSeal.seal(link: backend.link, origin: origin, now: db.clock.nowMillis())
    }
}

/// The schema of a clinic database on PostgreSQL: made whole at the current version in an empty
/// database (`PostgresSchema`, `PostgresCapture`), checked on every other open.
enum PostgresMigrator {
    static func migrate(_ db: Database, create: Bool, address: PostgresAddress) throws {
        let version = try db.schemaVersion()
        if version > Migrations.latest { throw Migrations.schemaTooNew(version) }
        if version == Migrations.latest { return }
        guard version == 0 else {
            // PostgreSQL sites start at 17; anything older was not made by clinic.
            throw StorageError(.postgres, resultCode: 0,
                               message: "the PostgreSQL database \"\(address.database)\" has clinic schema \(version); this clinic binary makes only \(Migrations.latest) on PostgreSQL")
        }
        guard create else {
            throw StorageError(.notInitialised, resultCode: 0,
                               message: "the PostgreSQL database \"\(address.database)\" holds no clinic site; run 'clinic init' or 'clinic demo' first")
        }
        try refuseForeignTables(db, address: address)
        try db.write { db in
            for statement in setupStatements { try db.makeStatement(sql: statement).execute() }
        }
    }

    /// Everything `init` makes in an empty database, in order.
    static var setupStatements: [String] {
        PostgresSchema.setupStatements + PostgresCapture.setupStatements + [
            "INSERT INTO clinic.sync_state (id, applying, hlc) VALUES (1, 0, 0)",
            "INSERT INTO clinic.local_setting (id, test_clock) VALUES (1, 0)",
            // The overlap searches' lower bound starts at 0, as SQLite's schema inserts it: without the
            // row it stays 0 and a clash starting at the same instant is missed.
            "INSERT INTO clinic.schedule_bound (key, value) VALUES ('max_duration_ms', 0)",
        ]
    }

    /// `init` sets up an empty database only: one that holds tables of anything else is refused, so a
    /// mistyped URL never mixes the clinic's tables into another application's database.
    private static func refuseForeignTables(_ db: Database, address: PostgresAddress) throws {
        let count = try db.first("""
            SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%'
            """)?.int(0) ?? 0
        // A schema made by someone else (even empty) would stay theirs, and they could drop what clinic puts in it.
        let schemas = try db.first("""
            SELECT count(*) FROM pg_catalog.pg_namespace
            WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
            """)?.int(0) ?? 0
        guard count == 0, schemas == 0 else {
            throw ClinicError(.alreadyInitialised,
                              "the PostgreSQL database \"\(address.database)\" is not empty (\(count) tables, \(schemas) schemas); clinic sets up an empty database only")
        }
    }
}
