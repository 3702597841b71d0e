/// Rows a merge could not apply yet (`pending_row`): a group or a referenced row has not arrived.
public struct PendingRowStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Every waiting row, as (table, row id).
    public func all() throws -> [(table: String, rowID: String)] {
        try db.query("SELECT tbl, row_id FROM pending_row").map { ($0.string(0), $0.string(1)) }
    }

    /// How many rows wait.
    public func count() throws -> Int {
        Int(try db.first("SELECT COUNT(*) FROM pending_row")?.int(0) ?? 0)
    }

    /// Forgets every waiting row (a merge that retried them all writes back the ones still waiting).
    public func removeAll() throws {
        try db.execute("DELETE FROM pending_row")
    }

    /// Records a row as waiting (once).
    public func add(table: String, rowID: String) throws {
        try db.execute("INSERT INTO pending_row (tbl, row_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [table, rowID])
    }
}
