import Models

/// Turns the changes the capture triggers handed over during a transaction into sealed changes: one HLC
/// stamp for the transaction, the local site as origin, canonical values, and the id. Only the last
/// write of a field group in a transaction is kept.
public enum ChangeCapture {
    /// Seals every unsealed change; called by the capture buffer just before `write` commits. The
    /// changes come from the buffer, after any a connection staged outside `write`.
    static func seal(_ db: Database, from buffer: CaptureBuffer) throws {
        let statements = try buffer.sealStatements()
        let staged = try staged(db, statements)
        let entries = staged.isEmpty ? buffer.drain() : staged + buffer.drain()
        guard !entries.isEmpty else { return }
        guard let (origin, stamp) = try localClock(statements.localClock) else { return }
        let hlc = HLC(rawValue: stamp).tick(now: db.clock.nowMillis())
        let last = lastWrites(entries)
        let insert = statements.insert
        for (index, entry) in entries.enumerated() where last[index] {
            let values = canonicalValues(entry.values)
            let id = Change.id(origin: origin, hlc: hlc, table: entry.table, rowID: entry.rowID, group: entry.group,
                               canonicalValues: values, previous: entry.previous)
            try insert.run(id: id, origin: origin, hlc: hlc.rawValue, table: entry.table, rowID: entry.rowID, group: entry.group,
                           values: values, previous: entry.previous)
        }
    }

    /// The statements every sealing write runs, compiled once per connection and kept by its capture
    /// buffer, so a commit does not look each up by its SQL text.
    struct Statements {
        let staged: BackendStatement
        let localClock: BackendStatement
        let insert: ChangeInsert

        init(_ db: Database) throws {
            staged = try db.cachedStatement(sql: "SELECT tbl, row_id, grp, vals, prev FROM change_staging ORDER BY seq").statement
            localClock = try db.cachedStatement(sql: localClockSQL(db.dialect)).statement
            insert = try ChangeInsert(db)
        }
    }

    /// The local site's code and its clock's last stamp (`localClockSQL`), or nil without a local site.
    static func localClock(_ statement: BackendStatement) throws -> (origin: String, stamp: Int64)? {
        defer { statement.resetUnobserved() }
        guard try statement.stepUnobserved() else { return nil }
        let row = statement.cursor
        return (row.text(0), row.int(1))
    }

    /// Rows a connection staged outside `write` (normally none), taken out of the table.
    static func staged(_ db: Database, _ statements: Statements) throws -> [CaptureBuffer.Entry] {
        let select = statements.staged
        defer { select.resetUnobserved() }
        var entries: [CaptureBuffer.Entry] = []
        while try select.stepUnobserved() {
            let row = select.cursor
            entries.append(CaptureBuffer.Entry(table: row.text(0), rowID: row.text(1), group: row.text(2), values: row.text(3),
                                               previous: row.optionalText(4)))
        }
        guard !entries.isEmpty else { return [] }
        select.resetUnobserved()
        try db.execute("DELETE FROM change_staging")
        return entries
    }

    /// Which entries are the last write of their field group in the transaction: only those become changes.
    static func lastWrites(_ entries: [CaptureBuffer.Entry]) -> [Bool] {
        func sameGroup(_ a: CaptureBuffer.Entry, _ b: CaptureBuffer.Entry) -> Bool {
            a.rowID == b.rowID && a.group == b.group && a.table == b.table
        }
        // A write touches a handful of groups: comparing them pairwise costs less than hashing their keys.
        if entries.count <= 16 {
            return entries.indices.map { index in !entries[(index + 1)...].contains { sameGroup($0, entries[index]) } }
        }
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
    static func localClockSQL(_ dialect: SQLDialect) -> String {
        """
        SELECT s.code, \(dialect.greatest)(st.hlc, coalesce((SELECT max(c.hlc) FROM change c WHERE c.origin = s.code), 0))
        FROM site s, sync_state st WHERE s.is_local = 1 AND st.id = 1
        """
    }

    /// The trigger's `json_object` text is already canonical when no number has a decimal point (reals
    /// are where SQLite's number format differs from ours) and no string has an escape; otherwise it is
    /// rebuilt. A '.' inside a string (an e-mail address) does not count.
    static func canonicalValues(_ text: String) -> String {
        var bytes = text
        let plain = bytes.withUTF8 { utf8 in
            var inString = false
            for byte in utf8 {
                if byte == UInt8(ascii: "\\") { return false }
                if byte == UInt8(ascii: "\"") { inString.toggle() } else if !inString, byte == UInt8(ascii: ".") { return false }
            }
            return true
        }
        if plain { return text }
        return JSONValue.object((try? JSONParser.parse(text))?.objectValue ?? [:]).canonical
    }

    /// Values from any JSON writer (PostgreSQL's `json_build_object` puts spaces after colons and
    /// commas) in the canonical form: always rebuilt.
    static func rebuiltCanonicalValues(_ text: String) -> String {
        JSONValue.object((try? JSONParser.parse(text))?.objectValue ?? [:]).canonical
    }

    /// The site's clock: the last stamp it gave or received.
    public static func currentHLC(_ db: Database) throws -> HLC {
        if db.engine == .postgres {
            // The clock register is a sequence every seal ticks (PostgresCapture): it is at least every
            // local stamp; a received stamp moves it too (`receive`).
            return HLC(rawValue: try db.first("SELECT last_value FROM clinic.hlc_clock")?.int(0) ?? 0)
        }
        if let clock = try db.first(localClockSQL(db.dialect)) { return HLC(rawValue: clock.int(1)) }
        return HLC(rawValue: try db.first("SELECT hlc FROM sync_state WHERE id = 1")?.int(0) ?? 0)
    }

    /// Advances the clock past a received stamp.
    public static func receive(_ db: Database, _ remote: HLC) throws {
        let last = try currentHLC(db)
        let next = last.receive(remote, now: db.clock.nowMillis())
        if db.engine == .postgres {
            // Outside MVCC and without a row lock: an import never holds up the desk's commits.
            try db.execute("SELECT setval('clinic.hlc_clock', greatest((SELECT last_value FROM clinic.hlc_clock), ?), true)", [next.rawValue])
            return
        }
        try db.execute("UPDATE sync_state SET hlc = ? WHERE id = 1", [next.rawValue])
    }

    /// Switches capture off while a received change is applied (inside the import's transaction).
    public static func setApplying(_ db: Database, _ applying: Bool) throws {
        if db.engine == .postgres {
            // Transaction-local: it ends with the import's transaction, whatever happens.
            try db.execute("SELECT set_config('clinic.applying', ?, true)", [applying ? "on" : "off"])
            return
        }
        try db.execute("UPDATE sync_state SET applying = ? WHERE id = 1", [applying])
    }
}

/// The statement that stores one change, for the seal and for import alike, with typed binds.
public struct ChangeInsert {
    static let sql = "INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    let statement: BackendStatement
    /// On PostgreSQL, the insert answering `seq` (`store`), which has no `lastInsertRowID` there.
    let numbered: Prepared?

    public init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: Self.sql).statement
        numbered = db.engine == .postgres ? try db.cachedStatement(sql: Self.sql + " RETURNING seq") : nil
    }

    /// Stores a change given as its `row` and answers its `seq` in `change` (an import keeps it).
    public func store(_ row: [SQLValue], in db: Database) throws -> Int64 {
        if let numbered {
            return try numbered.first(row.map { $0 as SQLBindable })?.int(0) ?? 0
        }
        try run(row)
        return db.lastInsertRowID
    }

    /// Stores the change; its row is `Database.lastInsertRowID` afterwards.
    public func run(id: String, origin: String, hlc: Int64, table: String, rowID: String, group: String, values: String, previous: String?) throws {
        try run(Self.row(id: id, origin: origin, hlc: hlc, table: table, rowID: rowID, group: group, values: values, previous: previous))
    }

    /// Stores a change given as its `row`, built ahead of time (an import builds it on its reading thread).
    public func run(_ row: [SQLValue]) throws { try statement.runUnobserved(binding: row) }

    /// A change's row of `change`, in the order `run(_:)` binds it.
    public static func row(id: String, origin: String, hlc: Int64, table: String, rowID: String, group: String, values: String,
                           previous: String?) -> [SQLValue] {
        [.text(id), .text(origin), .integer(hlc), .text(table), .text(rowID), .text(group), .text(values), previous.map(SQLValue.text) ?? .null]
    }
}
