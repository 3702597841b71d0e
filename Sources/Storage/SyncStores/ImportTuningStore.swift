/// What a large import changes about the database for its own duration: the page cache size, and
/// secondary indexes it drops and builds again (all inside its transaction, so a failed import
/// leaves them as they were).
public struct ImportTuningStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// The page cache size as SQLite states it (negative: KiB; positive: pages).
    public func cacheSize() throws -> Int64 {
        try db.first("PRAGMA cache_size")?.int(0) ?? -2000
    }

    /// Sets the page cache size (negative: KiB; positive: pages).
    public func setCacheSize(_ size: Int64) throws {
        try db.execute("PRAGMA cache_size = \(size)")
    }

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
        try db.first("SELECT max(rowid) FROM \(table)")?.optionalInt(0) ?? 0
    }
}
