import Models

extension Schema {
    /// Version 16: days a site is closed (holidays). One synced row per (site, day), its id derived
    /// from the pair (`SiteClosure.id`); reopening clears `closed` rather than deleting the row, since
    /// a deletion would stay a tombstone for that id forever and a later closing would never travel.
    static var v16Closures: String {
        var sql = """
        CREATE TABLE IF NOT EXISTS site_closure (
            id TEXT PRIMARY KEY,
            site_id TEXT NOT NULL REFERENCES site(id),
            date TEXT NOT NULL,
            closed INTEGER NOT NULL DEFAULT 1,
            reason TEXT,
            UNIQUE (site_id, date)
        );

        """
        if let table = SyncSchema.table("site_closure") {
            sql += dropTriggers(for: table)
            sql += triggers(for: table)
        }
        return sql
    }
}
