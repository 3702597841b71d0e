import Models

/// What a large import changes about the database for its own duration: the page cache size, and
/// secondary indexes it drops and builds again (all inside its transaction, so a failed import
/// leaves them as they were).
public struct ImportTuningStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// True when an import may set secondary indexes aside. Never on PostgreSQL: dropping an index there
    /// takes an ACCESS EXCLUSIVE lock that would stall every workstation for the whole import.
    public var canSetIndexesAside: Bool { db.engine == .sqlite }

    /// The page cache size as SQLite states it (negative: KiB; positive: pages); -2000 on PostgreSQL,
    /// which has no per-connection page cache.
    public func cacheSize() throws -> Int64 {
        guard db.engine == .sqlite else { return -2000 }
        return try db.first("PRAGMA cache_size")?.int(0) ?? -2000
    }

    /// Sets the page cache size (negative: KiB; positive: pages); nothing on PostgreSQL.
    public func setCacheSize(_ size: Int64) throws {
        guard db.engine == .sqlite else { return }
        try db.execute("PRAGMA cache_size = \(size)")
    }

    /// Readies the import's transaction. On PostgreSQL: serialises imports against each other with a
    /// transaction-scoped advisory lock (so each relayed origin's changes stay a prefix in HLC order;
    /// local writers are not blocked), and defers the appointment exclusion constraints to COMMIT, by
    /// which time the conflict detector has marked every double booking the import brought. SQLite's
    /// `BEGIN IMMEDIATE` already serialises the import, and it has no such constraints.
    public func beginImport() throws {
        guard db.engine == .postgres else { return }
        try db.execute("SELECT pg_advisory_xact_lock(?)", [Self.importLockKey])
        let names = AppointmentConstraints.resources.map(AppointmentConstraints.constraintName)
        try db.execute("SET CONSTRAINTS \(names.joined(separator: ", ")) DEFERRED")
    }

    /// The advisory lock key imports take ("clinicimp" in ASCII, truncated to 64 bits).
    public static let importLockKey: Int64 = 0x636C_696E_6963_696D

    /// The `CREATE INDEX` statement of an index, or nil when there is none of that name.
    public func definition(ofIndex name: String) throws -> String? {
        try db.first("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", [name])?.string(0)
    }

    /// Drops an index named by the schema (never by user data).
    public func dropIndex(_ name: String) throws {
        try db.execute("DROP INDEX \(name)")
    }

    /// Builds an index again from the definition `definition(ofIndex:)` returned.
    public func createIndex(_ definition: String) throws {
        try db.execute(definition)
    }

    /// The largest rowid of a table (0 for an empty one).
    public func lastRowID(_ table: String) throws -> Int64 {
        try db.first("SELECT max(\(db.dialect.rowid)) FROM \(table)")?.optionalInt(0) ?? 0
    }
}
