import Models

/// The queries that find what last-writer-wins cannot fix, over the rows a merge touched: bookings
/// that overlap, notes on cancelled bookings, two rows holding one key a person types. Compiled once
/// per merge; each takes a chunk's rows as a JSON array of rowids (`byList`) or a range of rowids
/// (`byRange`: the rows an import inserted, read in rowid order without a list to parse).
public struct ConflictScanStore {
    let db: Database
    private let overlaps: (byList: Prepared, byRange: Prepared)
    private let notesOnCancelled: (byList: Prepared, byRange: Prepared)
    private let appointmentRows: Prepared
    private let sameKey: [String: (byID: Prepared, byRow: Prepared, byRange: Prepared)]
    private let cancelledAppointmentOfNote: Prepared

    /// The tables whose rows hold a key a person types, with that column.
    public static let typedKeys: [(table: String, column: String)] = [("patient", "chart"), ("staff", "handle"), ("service", "slug")]

    public init(_ db: Database) throws {
        self.db = db
        let chunk = "SELECT value FROM \(db.dialect.idList("?1"))"
        // SQLite's rowid; PostgreSQL's identity `seq`, which stands for it (`SQLDialect.rowid`).
        let rowid = db.dialect.rowid
        // A candidate's start is bounded below by the longest appointment, so the start indexes serve;
        // the booking itself is left out by its rowid, which the index holds, so it is passed over
        // without reading its row.
        func overlapQuery(_ bookings: String) throws -> Prepared {
            try db.prepare("""
                WITH t AS MATERIALIZED (SELECT a.\(rowid) AS r, a.id, a.staff_id, a.room_id, a.patient_id, a.start_ms, a.end_ms
                                        FROM appointment a WHERE \(bookings) AND a.status != 'cancelled')
                """ + ["staff_id", "room_id", "patient_id"].map { column in
                """
                 SELECT t.id, o.id FROM t JOIN appointment o ON o.\(column) = t.\(column) AND o.start_ms > t.start_ms - ?2
                    AND o.start_ms < t.end_ms AND o.end_ms > t.start_ms AND o.\(rowid) != t.r AND o.status != 'cancelled'
                """
            }.joined(separator: " UNION ALL"))
        }
        overlaps = (try overlapQuery("a.\(rowid) IN (\(chunk))"), try overlapQuery("a.\(rowid) BETWEEN ?1 AND ?3"))
        let notes = "SELECT a.id, n.id FROM appointment a JOIN note n ON n.appointment_id = a.id WHERE a.status = 'cancelled' AND "
        notesOnCancelled = (try db.prepare(notes + "a.\(rowid) IN (\(chunk))"), try db.prepare(notes + "a.\(rowid) BETWEEN ?1 AND ?2"))
        appointmentRows = try db.prepare("SELECT \(rowid) FROM appointment WHERE id IN (SELECT value FROM \(db.dialect.textList("?1")))")
        var sameKey: [String: (byID: Prepared, byRow: Prepared, byRange: Prepared)] = [:]
        for (table, column) in Self.typedKeys {
            let join = "FROM \(table) x JOIN \(table) y ON y.\(column) = x.\(column) AND y.\(rowid) != x.\(rowid)"
            sameKey[table] = (try db.prepare("SELECT y.id \(join) WHERE x.id = ?"), try db.prepare("SELECT y.id \(join) WHERE x.\(rowid) = ?"),
                              try db.prepare("SELECT x.id, y.id \(join) WHERE x.\(rowid) BETWEEN ?1 AND ?2"))
        }
        self.sameKey = sameKey
        cancelledAppointmentOfNote = try db.prepare("""
            SELECT a.id FROM note n JOIN appointment a ON a.id = n.appointment_id WHERE n.id = ? AND a.status = 'cancelled'
            """)
    }

    /// The rowids of the appointments named by id.
    public func appointmentRowIDs(ids: [String]) throws -> [Int64] {
        var rows: [Int64] = []
        try appointmentRows.each([JSONValue.array(ids.map(JSONValue.string)).canonical]) { rows.append($0.int(0)) }
        return rows
    }

    /// (booking, other booking) for each active booking overlapping one of `rows` by practitioner,
    /// room or patient; `maxDuration` bounds how early an overlapping booking can start.
    public func overlaps(rows: [Int64], maxDuration: Int64) throws -> [(String, String)] {
        var found: [(String, String)] = []
        try overlaps.byList.each([Self.list(rows), maxDuration]) { found.append(($0.text(0), $0.text(1))) }
        return found
    }

    /// `overlaps(rows:maxDuration:)` for the bookings of a range of rowids.
    public func overlaps(range: ClosedRange<Int64>, maxDuration: Int64) throws -> [(String, String)] {
        var found: [(String, String)] = []
        try overlaps.byRange.each([range.lowerBound, maxDuration, range.upperBound]) { found.append(($0.text(0), $0.text(1))) }
        return found
    }

    /// (booking, note) for each note on one of `rows` that is cancelled.
    public func notesOnCancelled(rows: [Int64]) throws -> [(String, String)] {
        var found: [(String, String)] = []
        try notesOnCancelled.byList.each([Self.list(rows)]) { found.append(($0.text(0), $0.text(1))) }
        return found
    }

    /// `notesOnCancelled(rows:)` for the bookings of a range of rowids.
    public func notesOnCancelled(range: ClosedRange<Int64>) throws -> [(String, String)] {
        var found: [(String, String)] = []
        try notesOnCancelled.byRange.each([range.lowerBound, range.upperBound]) { found.append(($0.text(0), $0.text(1))) }
        return found
    }

    /// The cancelled appointment a note is on, or nil.
    public func cancelledAppointment(ofNote noteID: String) throws -> String? {
        try cancelledAppointmentOfNote.first([noteID])?.string(0)
    }

    /// The other rows of `table` holding the same typed key as the row of that id (or, with `rowid`, of that rowid).
    public func sameKey(table: String, id: String) throws -> [String] {
        guard let statements = sameKey[table] else { return [] }
        var others: [String] = []
        try statements.byID.each([id]) { others.append($0.text(0)) }
        return others
    }

    /// `sameKey(table:id:)` for the row of that rowid.
    public func sameKey(table: String, rowid: Int64) throws -> [String] {
        guard let statements = sameKey[table] else { return [] }
        var others: [String] = []
        try statements.byRow.each([rowid]) { others.append($0.text(0)) }
        return others
    }

    /// Pairs of rows of `table` holding one typed key, the first of each among a range of rowids.
    public func sameKey(table: String, range: ClosedRange<Int64>) throws -> [(String, String)] {
        guard let statements = sameKey[table] else { return [] }
        var found: [(String, String)] = []
        try statements.byRange.each([range.lowerBound, range.upperBound]) { found.append(($0.text(0), $0.text(1))) }
        return found
    }

    /// The largest rowid of a table, or nil for an empty one.
    public func lastRowID(_ table: String) throws -> Int64? {
        try db.first("SELECT max(\(db.dialect.rowid)) FROM \(table)")?.optionalInt(0)
    }

    private static func list(_ rows: [Int64]) -> String { "[" + rows.map(String.init).joined(separator: ",") + "]" }
}
