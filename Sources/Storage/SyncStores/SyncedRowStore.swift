import Models

/// The rows of one synced table as a merge writes them, with SQL built from `SyncSchema` alone
/// (table and column names, never values). The per-row statements are compiled once per merge.
public struct SyncedRowStore {
    let db: Database
    public let table: SyncedTable
    private let select: Prepared
    private let insert: Prepared
    private let exists: Prepared
    /// True when `insert` answers the row's `seq` (PostgreSQL, a table with one).
    private let numbered: Bool

    public init(_ db: Database, table: SyncedTable) throws {
        self.db = db
        self.table = table
        let columns = ["id"] + table.columns + table.localColumns
        select = try db.prepare("SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE id = ?")
        // PostgreSQL answers the identity `seq` that stands for SQLite's rowid, where the table has one.
        numbered = db.engine == .postgres && PostgresSchema.extraColumns[table.name]?.contains("seq") == true
        insert = try db.prepare("""
            INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """ + (numbered ? " RETURNING seq" : ""))
        exists = try db.prepare("SELECT 1 FROM \(table.name) WHERE id = ?")
    }

    /// The row's synced values by column, or nil when it is not here.
    public func values(id: String) throws -> [String: JSONValue]? {
        var values: [String: JSONValue]?
        try select.each([id]) { row in
            var found = [String: JSONValue](minimumCapacity: table.columns.count)
            for (index, column) in table.columns.enumerated() { found[column] = SyncValues.json(row.value(Int32(index))) }
            values = found
        }
        return values
    }

    /// True when the row is here.
    public func exists(id: String) throws -> Bool { try exists.exists([id]) }

    /// Inserts a row given as its id, then its synced values in `table.columns` order; its local
    /// columns are set to `now`. A reference to a row not here fails SQLite's foreign-key check.
    /// Answers the row's number in insertion order: SQLite's rowid, PostgreSQL's `seq` (0 for a table without one).
    @discardableResult
    public func insert(_ row: [SQLValue], now: Int64) throws -> Int64 {
        var row = row
        for _ in 0..<table.localColumns.count { row.append(.integer(now)) }
        if numbered { return try insert.first(row.map { $0 as SQLBindable })?.int(0) ?? 0 }
        try insert.run(binding: row)
        return db.engine == .sqlite ? db.lastInsertRowID : 0
    }

    /// Sets `columns` of the row to `values` (same order).
    public func update(id: String, columns: [String], values: [SQLValue]) throws {
        guard !columns.isEmpty else { return }
        try db.execute("UPDATE \(table.name) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                       values.map { $0 as SQLBindable } + [id])
    }

    /// Sets `columns` of the row, only while its status is a draft's (a signature applied once).
    public func updateDraft(id: String, columns: [String], values: [SQLValue]) throws {
        try db.execute("UPDATE \(table.name) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ? AND status = 'draft'",
                       values.map { $0 as SQLBindable } + [id])
    }

    /// Deletes the row (what references it goes with it, as the schema says).
    public func delete(id: String) throws {
        try db.execute("DELETE FROM \(table.name) WHERE id = ?", [id])
    }

    /// The ids of the rows that belong to a note (`note_id`), for a table a signature covers.
    public func ids(ofNote noteID: String) throws -> Set<String> {
        Set(try db.query("SELECT id FROM \(table.name) WHERE note_id = ?", [noteID]).map { $0.string(0) })
    }

    /// The needle sites removed from a note while it was a draft (`needling_removal`), by needling id.
    public static func removedNeedling(_ db: Database, noteID: String) throws -> Set<String> {
        Set(try db.query("SELECT needling_id FROM needling_removal WHERE note_id = ?", [noteID]).map { $0.string(0) })
    }

    /// Every row of a synced table in id order, as its id then its synced columns (a digest reads them all).
    public static func eachRow(_ db: Database, of table: SyncedTable, _ body: (Row) throws -> Void) throws {
        try db.forEach("SELECT id, \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY id", [], body)
    }

    /// True when the note is signed in this database.
    public static func isSigned(_ db: Database, noteID: String) throws -> Bool {
        try db.first("SELECT 1 FROM \(SyncSchema.signedNoteTable.name) WHERE id = ? AND status = 'signed'", [noteID]) != nil
    }

    /// Reopens a signed note as a draft (another site's earlier signature is about to lock it).
    public static func reopen(_ db: Database, noteID: String) throws {
        try db.execute("UPDATE \(SyncSchema.signedNoteTable.name) SET status = 'draft' WHERE id = ?", [noteID])
    }
}
