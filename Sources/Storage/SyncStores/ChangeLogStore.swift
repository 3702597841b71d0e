import Models

/// The change log (`change`) as sync reads it: what an export streams, what a status counts, and
/// the changes a merge and the signed-note rules look at. Statements that run per change or per row
/// are kept by the types below (`ChangeLogStore.ImportLookups`, `ChangeLogStore.GroupChanges`).
public struct ChangeLogStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// The row of the last change stored (0 for none): what an import stores comes after it.
    public func lastSeq() throws -> Int64 {
        try db.first("SELECT COALESCE(MAX(seq), 0) FROM change")?.int(0) ?? 0
    }

    /// Per origin, the newest change this site holds.
    public func contentVector() throws -> [String: Int64] {
        var vector: [String: Int64] = [:]
        for row in try db.query("SELECT origin, MAX(hlc) FROM change WHERE change_id IS NOT NULL GROUP BY origin") {
            vector[row.string(0)] = row.int(1)
        }
        return vector
    }

    /// Each stored change from `origin` stamped after `hlc`, in stamp order, as its columns
    /// (change_id, origin, hlc, tbl, row_id, grp, vals, prev): an export writes them as they come.
    public func eachChange(from origin: String, after hlc: Int64, _ body: (Cursor) throws -> Void) throws {
        try db.each("""
            SELECT change_id, origin, hlc, tbl, row_id, grp, vals, prev FROM change
            WHERE origin = ? AND hlc > ? AND change_id IS NOT NULL ORDER BY hlc, seq
            """, [origin, hlc], body)
    }

    /// How many changes from `origin` are stamped after `after` and up to `upTo`.
    public func count(from origin: String, after: Int64, upTo: Int64) throws -> Int {
        Int(try db.first("SELECT COUNT(*) FROM change WHERE origin = ? AND hlc > ? AND hlc <= ?", [origin, after, upTo])?.int(0) ?? 0)
    }

    /// How many changes are stored.
    public func count() throws -> Int {
        Int(try db.first("SELECT COUNT(*) FROM change WHERE change_id IS NOT NULL")?.int(0) ?? 0)
    }

    /// The statements an import runs for nearly every change it reads, compiled once per import.
    public struct ImportLookups {
        private let stored: Prepared
        private let siblings: Prepared
        private let newestForOrigin: Prepared
        private let rowHasChanges: Prepared

        public init(_ db: Database) throws {
            // A change is found by where it belongs (`change_row`), then told apart from its neighbours by id.
            stored = try db.prepare("SELECT 1 FROM change WHERE tbl = ? AND row_id = ? AND grp = ? AND hlc = ? AND change_id = ?")
            siblings = try db.prepare("SELECT change_id, vals FROM change WHERE tbl = ? AND row_id = ? AND grp = ? AND prev = ? AND change_id != ?")
            newestForOrigin = try db.prepare("SELECT max(hlc) FROM change WHERE origin = ?")
            rowHasChanges = try db.prepare("SELECT 1 FROM change WHERE tbl = ? AND row_id = ? LIMIT 1")
        }

        /// True when the change with this place, stamp and id is stored.
        public func isStored(table: String, row: String, group: String, hlc: Int64, id: String) throws -> Bool {
            try stored.exists([table, row, group, hlc, id])
        }

        /// The other changes stored that overwrote the same `previous` change of a row's group, as
        /// (id, canonical values): edits made concurrently at two sites.
        public func siblings(table: String, row: String, group: String, previous: String, excluding id: String,
                             _ body: (_ id: String, _ values: String) throws -> Void) throws {
            try siblings.each([table, row, group, previous, id]) { try body($0.text(0), $0.text(1)) }
        }

        /// The newest stamp stored from `origin`, or nil for none.
        public func newestStamp(from origin: String) throws -> Int64? {
            try newestForOrigin.first([origin]).flatMap { $0.optionalInt(0) }
        }

        /// True when any change of the row is stored.
        public func rowHasChanges(table: String, row: String) throws -> Bool {
            try rowHasChanges.bind(table, at: 1)
            try rowHasChanges.bind(row, at: 2)
            return try rowHasChanges.probe()
        }
    }

    /// One row's stored changes, read group by group for the merge; compiled once per merge.
    public struct GroupChanges {
        private let statement: Prepared

        public init(_ db: Database) throws {
            statement = try db.prepare("SELECT grp, seq, hlc, origin, vals, change_id FROM change WHERE tbl = ? AND row_id = ? AND change_id IS NOT NULL")
        }

        /// Each change of the row, as a cursor over (grp, seq, hlc, origin, vals, change_id).
        public func each(table: String, row: String, _ body: (Cursor) throws -> Void) throws {
            try statement.each([table, row], body)
        }
    }

    /// One change of a note's signature group: its place in `change`, its stamp, and whether it signs.
    public struct SignatureChange {
        public let seq: Int64
        public let changeID: String
        public let hlc: Int64
        public let origin: String
        public let signs: Bool
    }

    /// Every change of the note's signature group; whether each signs is read by SQLite, so no
    /// values are parsed.
    public func signatureChanges(noteID: String) throws -> [SignatureChange] {
        try db.query("""
            SELECT change_id, hlc, origin, \(db.dialect.jsonField("vals", "status")) = 'signed', seq FROM change
            WHERE row_id = ? AND tbl = ? AND grp = ? AND change_id IS NOT NULL
            """, [noteID, SyncSchema.signedNoteTable.name, SyncSchema.noteSignatureGroup]).map {
            SignatureChange(seq: $0.int(4), changeID: $0.string(0), hlc: $0.int(1), origin: $0.string(2), signs: $0.bool(3))
        }
    }

    /// The canonical values text of the change stored at `seq`.
    public func values(seq: Int64) throws -> String? {
        try db.first("SELECT vals FROM change WHERE seq = ?", [seq])?.string(0)
    }

    /// A change to a note's own row stamped after (hlc, origin), with whether its values equal `values`.
    public struct LaterNoteChange {
        public let changeID: String
        public let group: String
        public let seq: Int64
        public let sameValues: Bool
    }

    /// The changes to the note's own row stamped after (`hlc`, `origin`).
    public func noteChanges(noteID: String, after hlc: Int64, origin: String, comparedWith values: String) throws -> [LaterNoteChange] {
        try db.query("""
            SELECT change_id, grp, seq, vals = ? FROM change WHERE row_id = ? AND tbl = ? AND change_id IS NOT NULL
            AND (hlc > ? OR (hlc = ? AND origin > ?))
            """, [values, noteID, SyncSchema.signedNoteTable.name, hlc, hlc, origin]).map {
            LaterNoteChange(changeID: $0.string(0), group: $0.string(1), seq: $0.int(2), sameValues: $0.bool(3))
        }
    }

    /// A change creating a row of a table a note's signature covers.
    public struct CoveredRowChange {
        public let changeID: String
        public let rowID: String
        public let hlc: Int64
        public let origin: String
        public let seq: Int64
    }

    /// The changes creating rows of `table` (needling, adverse events) that belong to the note.
    public func coveredRowChanges(table: String, noteID: String) throws -> [CoveredRowChange] {
        // The `IN` term is the partial index's own condition, so `change_note_detail` serves.
        try db.query("""
            SELECT change_id, row_id, hlc, origin, seq FROM change WHERE tbl IN ('needling', 'adverse_event') AND tbl = ? AND grp = 'details'
            AND \(db.dialect.jsonField("vals", "note_id")) = ?
            """, [table, noteID]).map {
            CoveredRowChange(changeID: $0.string(0), rowID: $0.string(1), hlc: $0.int(2), origin: $0.string(3), seq: $0.int(4))
        }
    }

    /// Each clinician signature change stored after `seq` (a note's signature group, an amendment or
    /// its signature), as (table, row id, canonical values): an import checks them before it commits.
    public func eachSignatureChange(storedAfter seq: Int64, _ body: (_ table: String, _ rowID: String, _ values: String) throws -> Void) throws {
        try db.forEach("""
            SELECT tbl, row_id, vals FROM change WHERE seq > ? AND change_id IS NOT NULL
            AND ((tbl = 'note' AND grp = 'signature') OR (tbl IN ('amendment', 'amendment_signature') AND grp = 'details'))
            """, [seq]) { try body($0.string(0), $0.string(1), $0.string(2)) }
    }

    /// The ids of the rows of `table` that changes stored after `seq` name.
    public func rowIDs(of table: String, storedAfter seq: Int64) throws -> [String] {
        try db.query("SELECT DISTINCT row_id FROM change WHERE seq > ? AND tbl = ?", [seq, table]).map { $0.string(0) }
    }

    /// The groups any change of the row names.
    public func groups(table: String, row: String) throws -> [String] {
        try db.query("SELECT DISTINCT grp FROM change WHERE tbl = ? AND row_id = ?", [table, row]).map { $0.string(0) }
    }

    /// The distinct (values, origin) of the changes to one group of a row.
    public func distinctValues(table: String, row: String, group: String) throws -> [(values: String, origin: String)] {
        try db.query("SELECT DISTINCT vals, origin FROM change WHERE tbl = ? AND row_id = ? AND grp = ?", [table, row, group])
            .map { ($0.string(0), $0.string(1)) }
    }

    /// True when some change to the group of a row ever set `column` to a value (not null).
    public func everSet(table: String, row: String, group: String, column: String) throws -> Bool {
        try db.first("SELECT 1 FROM change WHERE tbl = ? AND row_id = ? AND grp = ? AND json_extract(vals, ?) IS NOT NULL",
                     [table, row, group, "$.\(column)"]) != nil
    }

    /// A stored change as a conflict shows it.
    public struct StoredChange {
        public let origin: String
        public let hlc: Int64
        public let table: String
        public let rowID: String
        public let group: String
        public let values: String
    }

    /// A stored change by its id, found through its table and row (`change_row`) when known; else
    /// (a conflict recorded before places were kept) by a scan.
    public func change(id: String, table: String?, row: String?) throws -> StoredChange? {
        let columns = "SELECT origin, hlc, tbl, row_id, grp, vals FROM change"
        let found: Row?
        if let table, let row {
            found = try db.first("\(columns) WHERE tbl = ? AND row_id = ? AND change_id = ?", [table, row, id])
        } else {
            found = try db.first("\(columns) WHERE change_id = ?", [id])
        }
        return found.map {
            StoredChange(origin: $0.string(0), hlc: $0.int(1), table: $0.string(2), rowID: $0.string(3), group: $0.string(4), values: $0.string(5))
        }
    }

    /// The (HLC, origin) of a row's first change, or nil for a row with none.
    public func firstStamp(table: String, row: String) throws -> (hlc: Int64, origin: String)? {
        try db.first("SELECT hlc, origin FROM change WHERE tbl = ? AND row_id = ? ORDER BY hlc, origin LIMIT 1", [table, row])
            .map { ($0.int(0), $0.string(1)) }
    }
}
