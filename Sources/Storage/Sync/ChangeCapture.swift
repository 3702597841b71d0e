import Models

/// Turns the rows the capture triggers staged during a transaction into sealed changes: one HLC
/// stamp for the transaction, the local site as origin, canonical values, and the id. Only the last
/// write of a field group in a transaction is kept.
public enum ChangeCapture {
    /// Seals every unsealed change; called by `write` just before COMMIT.
    static func seal(_ db: Database) throws {
        let rows = try db.query("SELECT seq, tbl, row_id, grp, vals, prev FROM change_staging ORDER BY seq")
        guard !rows.isEmpty else { return }
        try db.execute("DELETE FROM change_staging")
        guard let origin = try db.first("SELECT code FROM site WHERE is_local = 1")?.string(0) else { return }
        let hlc = try tick(db)
        var latest: [String: Int64] = [:]
        for row in rows { latest[row.string(1) + "\u{1}" + row.string(2) + "\u{1}" + row.string(3)] = row.int(0) }
        for row in rows where latest[row.string(1) + "\u{1}" + row.string(2) + "\u{1}" + row.string(3)] == row.int(0) {
            let values = canonicalValues(row.string(4))
            let (table, rowID, group, previous) = (row.string(1), row.string(2), row.string(3), row.optionalString(5))
            let id = SHA256Hex.of(Change.canonicalBodyText(origin: origin, hlc: hlc, table: table, rowID: rowID, group: group,
                                                           canonicalValues: values, previous: previous))
            try db.execute("INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [id, origin, hlc.rawValue, table, rowID, group, values, previous])
        }
    }

    /// The trigger's `json_object` text is already canonical when no number has a decimal point (reals
    /// are where SQLite's number format differs from ours) and no string has an escape; otherwise it is
    /// rebuilt. A '.' inside a string (an e-mail address) does not count.
    static func canonicalValues(_ text: String) -> String {
        var inString = false
        var plain = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\\") { plain = false; break }
            if byte == UInt8(ascii: "\"") { inString.toggle() } else if !inString, byte == UInt8(ascii: ".") { plain = false; break }
        }
        if plain { return text }
        return JSONValue.object((try? JSONParser.parse(text))?.objectValue ?? [:]).canonical
    }

    /// Advances and persists the site's clock for a local write.
    static func tick(_ db: Database) throws -> HLC {
        let last = HLC(rawValue: try db.first("SELECT hlc FROM sync_state WHERE id = 1")?.int(0) ?? 0)
        let next = last.tick(now: db.clock.nowMillis())
        try db.execute("UPDATE sync_state SET hlc = ? WHERE id = 1", [next.rawValue])
        return next
    }

    /// The site's clock as last persisted.
    public static func currentHLC(_ db: Database) throws -> HLC {
        HLC(rawValue: try db.first("SELECT hlc FROM sync_state WHERE id = 1")?.int(0) ?? 0)
    }

    /// Advances the clock past a received stamp.
    public static func receive(_ db: Database, _ remote: HLC) throws {
        let last = try currentHLC(db)
        let next = last.receive(remote, now: db.clock.nowMillis())
        try db.execute("UPDATE sync_state SET hlc = ? WHERE id = 1", [next.rawValue])
    }

    /// Switches capture off while a received change is applied (inside the import's transaction).
    public static func setApplying(_ db: Database, _ applying: Bool) throws {
        try db.execute("UPDATE sync_state SET applying = ? WHERE id = 1", [applying])
    }
}
