import Models

/// Turns the changes the capture triggers handed over during a transaction into sealed changes: one HLC
/// stamp for the transaction, the local site as origin, canonical values, and the id. Only the last
/// write of a field group in a transaction is kept.
public enum ChangeCapture {
    /// Seals every unsealed change; called by `write` just before COMMIT. The changes come from the
    /// connection's capture buffer, after any a connection staged outside `write`.
    static func seal(_ db: Database) throws {
        var entries = try staged(db)
        entries += db.captured.drain()
        guard !entries.isEmpty else { return }
        guard let clock = try db.first(localClockSQL) else { return }
        let origin = clock.string(0)
        let hlc = HLC(rawValue: clock.int(1)).tick(now: db.clock.nowMillis())
        let last = lastWrites(entries)
        for (index, entry) in entries.enumerated() where last[index] {
            let values = canonicalValues(entry.values)
            let id = SHA256Hex.of(Change.canonicalBodyText(origin: origin, hlc: hlc, table: entry.table, rowID: entry.rowID,
                                                           group: entry.group, canonicalValues: values, previous: entry.previous))
            try db.execute("INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [id, origin, hlc.rawValue, entry.table, entry.rowID, entry.group, values, entry.previous])
        }
    }

    /// Rows a connection staged outside `write` (normally none), taken out of the table.
    static func staged(_ db: Database) throws -> [CaptureBuffer.Entry] {
        let rows = try db.query("SELECT tbl, row_id, grp, vals, prev FROM change_staging ORDER BY seq")
        guard !rows.isEmpty else { return [] }
        try db.execute("DELETE FROM change_staging")
        return rows.map { CaptureBuffer.Entry(table: $0.string(0), rowID: $0.string(1), group: $0.string(2), values: $0.string(3),
                                              previous: $0.optionalString(4)) }
    }

    /// Which entries are the last write of their field group in the transaction: only those become changes.
    static func lastWrites(_ entries: [CaptureBuffer.Entry]) -> [Bool] {
        struct Key: Hashable { var table: String, rowID: String, group: String }
        var seen = Set<Key>()
        seen.reserveCapacity(entries.count)
        var last = [Bool](repeating: false, count: entries.count)
        for index in entries.indices.reversed() {
            let entry = entries[index]
            last[index] = seen.insert(Key(table: entry.table, rowID: entry.rowID, group: entry.group)).inserted
        }
        return last
    }

    /// The local site's code and the last stamp of its clock: the newest of the stamp persisted when
    /// changes were received and the newest change this site made. A local write does not persist
    /// its stamp; its change rows do (through the `change_origin` index), so the clock never goes back,
    /// across restarts and between processes, whose writes `BEGIN IMMEDIATE` serialises.
    static let localClockSQL = """
        SELECT s.code, max(st.hlc, coalesce((SELECT max(c.hlc) FROM change c WHERE c.origin = s.code), 0))
        FROM site s, sync_state st WHERE s.is_local = 1 AND st.id = 1
        """

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

    /// The site's clock: the last stamp it gave or received.
    public static func currentHLC(_ db: Database) throws -> HLC {
        if let clock = try db.first(localClockSQL) { return HLC(rawValue: clock.int(1)) }
        return HLC(rawValue: try db.first("SELECT hlc FROM sync_state WHERE id = 1")?.int(0) ?? 0)
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
