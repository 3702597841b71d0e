import Models
import Storage

/// Finds what last-writer-wins cannot fix once a batch is merged: overlapping bookings made at two
/// sites, two patients under one chart number, a note on an appointment cancelled elsewhere.
struct ConflictDetector {
    let db: Database
    let now: Int64
    /// Active bookings of one practitioner, room or patient that overlap one of a chunk's bookings,
    /// one statement for the whole chunk: `byList` takes the bookings as a JSON array of rowids,
    /// `byRange` as a range of rowids (the bookings an import inserted, read in rowid order without a
    /// list to parse). A candidate's start is bounded below by the longest appointment, so the start
    /// indexes serve; the booking itself is left out by its rowid, which the index holds, so it is
    /// passed over without reading its row.
    private let overlaps: (byList: Prepared, byRange: Prepared)
    /// Notes on those of a chunk's bookings that are cancelled, by list and by range as above.
    private let notesOnCancelled: (byList: Prepared, byRange: Prepared)
    /// The rowids of appointments named by id (a JSON array), for rows the import did not insert itself.
    private let appointmentRows: Prepared
    /// Per table, another row holding the same key a person types (chart number, handle, slug),
    /// found from the row's id or, for a row the import just inserted, from its rowid.
    private let sameKey: [String: (kind: String, byID: Prepared, byRow: Prepared, byRange: Prepared)]
    /// The tables whose new rows `detect` looks at: bookings, and rows with a key a person types.
    static let checkedTables = ["appointment", "patient", "staff", "service"]
    /// Rows per statement when checking a range of inserted rows.
    static let sliceRows: Int64 = 8_192

    init(db: Database, now: Int64) throws {
        self.db = db
        self.now = now
        let chunk = "SELECT value FROM json_each(?1)"
        func overlapQuery(_ bookings: String) throws -> Prepared {
            try db.prepare("""
                WITH t AS MATERIALIZED (SELECT a.rowid AS r, a.id, a.staff_id, a.room_id, a.patient_id, a.start_ms, a.end_ms
                                        FROM appointment a WHERE \(bookings) AND a.status != 'cancelled')
                """ + ["staff_id", "room_id", "patient_id"].map { column in
                """
                 SELECT t.id, o.id FROM t JOIN appointment o ON o.\(column) = t.\(column) AND o.start_ms > t.start_ms - ?2
                    AND o.start_ms < t.end_ms AND o.end_ms > t.start_ms AND o.rowid != t.r AND o.status != 'cancelled'
                """
            }.joined(separator: " UNION ALL"))
        }
        overlaps = (try overlapQuery("a.rowid IN (\(chunk))"), try overlapQuery("a.rowid BETWEEN ?1 AND ?3"))
        let notes = "SELECT a.id, n.id FROM appointment a JOIN note n ON n.appointment_id = a.id WHERE a.status = 'cancelled' AND "
        notesOnCancelled = (try db.prepare(notes + "a.rowid IN (\(chunk))"), try db.prepare(notes + "a.rowid BETWEEN ?1 AND ?2"))
        appointmentRows = try db.prepare("SELECT rowid FROM appointment WHERE id IN (\(chunk))")
        var sameKey: [String: (kind: String, byID: Prepared, byRow: Prepared, byRange: Prepared)] = [:]
        for (table, kind, column) in [("patient", "duplicate-chart", "chart"), ("staff", "duplicate-handle", "handle"), ("service", "duplicate-slug", "slug")] {
            let join = "FROM \(table) x JOIN \(table) y ON y.\(column) = x.\(column) AND y.rowid != x.rowid"
            sameKey[table] = (kind, try db.prepare("SELECT y.id \(join) WHERE x.id = ?"), try db.prepare("SELECT y.id \(join) WHERE x.rowid = ?"),
                              try db.prepare("SELECT x.id, y.id \(join) WHERE x.rowid BETWEEN ?1 AND ?2"))
        }
        self.sameKey = sameKey
    }

    /// Looks for conflicts among `touched` rows (named by id) and `inserted` rows (just inserted by
    /// the import, with their rowids, so no id needs looking up).
    func detect(touched: [Merger.RowKey], inserted: [Merger.InsertedRow] = [], recorder: inout Merger) throws {
        var appointmentIDs: [JSONValue] = []
        var appointmentRows: [Int64] = []
        for key in touched {
            switch key.table {
            case "appointment":
                appointmentIDs.append(.string(key.rowID))
            case "note":
                if let row = try db.first("SELECT a.id FROM note n JOIN appointment a ON a.id = n.appointment_id WHERE n.id = ? AND a.status = 'cancelled'", [key.rowID]) {
                    try recorder.recordConflict(kind: "note-on-cancelled", table: "appointment", a: row.string(0), b: key.rowID)
                }
            default:
                guard let unique = sameKey[key.table] else { continue }
                try record(unique.kind, table: key.table, row: key.rowID, others: unique.byID, [key.rowID], recorder: &recorder)
            }
        }
        var span = (first: Int64.max, last: Int64.min, count: Int64(0))
        for row in inserted where row.key.table == "appointment" {
            span = (min(span.first, row.rowid), max(span.last, row.rowid), span.count + 1)
        }
        // The bookings an import inserted have nearly consecutive rowids (what lies between was
        // inserted by the same chunk, and is checked twice to no effect): read as a range, unless sparse.
        let range = span.count > 0 && span.last - span.first < 2 * span.count ? span.first...span.last : nil
        for row in inserted {
            if row.key.table == "appointment" {
                if range == nil { appointmentRows.append(row.rowid) }
            } else if let unique = sameKey[row.key.table] {
                try record(unique.kind, table: row.key.table, row: row.key.rowID, others: unique.byRow, [row.rowid], recorder: &recorder)
            }
        }
        if !appointmentIDs.isEmpty {
            try self.appointmentRows.each([JSONValue.array(appointmentIDs).canonical]) { appointmentRows.append($0.int(0)) }
        }
        // Conflicts are recorded after the reading ends: recording writes, which a statement still stepping must not see.
        var found: [(kind: String, a: String, b: String)] = []
        if let range { found += try bookingConflicts(range, maxDuration: recorder.maxDuration) }
        if !appointmentRows.isEmpty {
            let rows = "[" + appointmentRows.map(String.init).joined(separator: ",") + "]"
            try overlaps.byList.each([rows, recorder.maxDuration]) { found.append(("double-booking", $0.text(0), $0.text(1))) }
            try notesOnCancelled.byList.each([rows]) { found.append(("note-on-cancelled", $0.text(0), $0.text(1))) }
        }
        for conflict in found { try recorder.recordConflict(kind: conflict.kind, table: "appointment", a: conflict.a, b: conflict.b) }
    }

    /// Looks for conflicts among the rows inserted above each mark (the rows an import inserted while
    /// its checks waited), each kind in one statement over the range.
    func detect(insertedAfter marks: [SetAsideIndexes.Mark], recorder: inout Merger) throws {
        var found: [(kind: String, table: String, a: String, b: String)] = []
        for mark in marks {
            guard let end = try db.first("SELECT max(rowid) FROM \(mark.table)")?.optionalInt(0), end > mark.lastRowBefore else { continue }
            // In slices, so what the overlap statement materialises stays the size of a chunk's.
            var first = mark.lastRowBefore + 1
            while first <= end {
                let last = min(end, first + Self.sliceRows - 1)
                defer { first = last + 1 }
                if mark.table == "appointment" {
                    found += try bookingConflicts(first...last, maxDuration: recorder.maxDuration).map { ($0.kind, "appointment", $0.a, $0.b) }
                } else if let unique = sameKey[mark.table] {
                    try unique.byRange.each([first, last]) { found.append((unique.kind, mark.table, $0.text(0), $0.text(1))) }
                }
            }
        }
        for conflict in found { try recorder.recordConflict(kind: conflict.kind, table: conflict.table, a: conflict.a, b: conflict.b) }
    }

    /// Double bookings and notes on cancelled bookings among the bookings of a range of rowids.
    private func bookingConflicts(_ rows: ClosedRange<Int64>, maxDuration: Int64) throws -> [(kind: String, a: String, b: String)] {
        var found: [(kind: String, a: String, b: String)] = []
        try overlaps.byRange.each([rows.lowerBound, maxDuration, rows.upperBound]) { found.append(("double-booking", $0.text(0), $0.text(1))) }
        try notesOnCancelled.byRange.each([rows.lowerBound, rows.upperBound]) { found.append(("note-on-cancelled", $0.text(0), $0.text(1))) }
        return found
    }

    /// Records a conflict with every other row holding the same typed key as `row`.
    private func record(_ kind: String, table: String, row: String, others statement: Prepared, _ arguments: [SQLBindable],
                        recorder: inout Merger) throws {
        var others: [String] = []
        try statement.each(arguments) { others.append($0.text(0)) }
        for other in others { try recorder.recordConflict(kind: kind, table: table, a: row, b: other) }
    }
}

/// The conflicts a person must look at, and their resolution (itself a synced change).
public struct ConflictBook {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One side of a conflict as shown to a person.
    public struct Side: Sendable {
        public var reference: String
        public var summary: JSONValue
    }

    public struct Entry: Sendable {
        public var id: String
        public var kind: String
        public var table: String
        public var a: Side
        public var b: Side
        public var resolution: String?
    }

    /// Conflicts that still hold (a double booking whose bookings no longer overlap is gone), with
    /// their resolution if one was recorded. The same at every site once they have exchanged everything.
    package func list(includeResolved: Bool = false) throws -> [Entry] {
        var entries: [Entry] = []
        var rows = try db.query("SELECT id, kind, tbl, a_ref, b_ref, row_id FROM conflict").map { row -> Listed in
            // Both sides of a concurrent edit are changes to one row of the conflict's table.
            let place = row.optionalString(5).map { ChangePlace(table: row.string(2), row: $0) }
            return Listed(id: row.string(0), kind: row.string(1), table: row.string(2), a: row.string(3), b: row.string(4), aPlace: place, bPlace: place)
        }
        // A note on a cancelled appointment can also arise from local writes: list it from the data itself.
        for row in try db.query("SELECT a.id, n.id FROM note n JOIN appointment a ON a.id = n.appointment_id WHERE a.status = 'cancelled'") {
            let id = SHA256Hex.of("note-on-cancelled|\(min(row.string(0), row.string(1)))|\(max(row.string(0), row.string(1)))")
            if !rows.contains(where: { $0.id == id }) {
                rows.append(Listed(id: id, kind: "note-on-cancelled", table: "appointment", a: row.string(0), b: row.string(1)))
            }
        }
        rows += try editsAfterSign()
        for row in rows.sorted(by: { $0.id < $1.id }) {
            let id = row.id, kind = row.kind, table = row.table
            guard try stillHolds(kind: kind, a: row.a, b: row.b) else { continue }
            let resolution = try db.first("SELECT keep FROM conflict_resolution WHERE conflict_id = ? ORDER BY id LIMIT 1", [id])?.string(0)
            if resolution != nil, !includeResolved { continue }
            var sideA = try side(kind: kind, table: table, reference: row.a, place: row.aPlace)
            var sideB = try side(kind: kind, table: table, reference: row.b, place: row.bPlace)
            if kind == "double-booking" || kind == "duplicate-chart" || kind == "duplicate-handle" || kind == "duplicate-slug" || kind == "concurrent-edit" {
                if try order(kind: kind, table: table, row.b, place: row.bPlace) < order(kind: kind, table: table, row.a, place: row.aPlace) {
                    swap(&sideA, &sideB)
                }
            }
            entries.append(Entry(id: id, kind: kind, table: table, a: sideA, b: sideB, resolution: resolution))
        }
        return entries
    }

    /// Where a change lives: its table and row, by which the `change_row` index finds it.
    struct ChangePlace {
        let table: String
        let row: String
    }

    /// A conflict as found, before its sides are read; a side that is a change carries its place.
    struct Listed {
        let id: String
        let kind: String
        let table: String
        let a: String
        let b: String
        var aPlace: ChangePlace? = nil
        var bPlace: ChangePlace? = nil
    }

    /// For every signed note, the changes its locking signature did not see (`SignedNotes.lateChanges`):
    /// derived from the change set alone, so sites that have exchanged everything list exactly the same pairs.
    func editsAfterSign() throws -> [Listed] {
        var found: [Listed] = []
        for note in try db.query("SELECT id FROM note WHERE status = 'signed'") {
            let noteID = note.string(0)
            guard let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs else { continue }
            let notePlace = ChangePlace(table: "note", row: noteID)
            for late in try SignedNotes.lateChanges(db, noteID: noteID, signature: signature) {
                found.append(Listed(id: SHA256Hex.of("edit-after-sign|\(signature.changeID)|\(late.changeID)"), kind: "edit-after-sign", table: "note",
                                    a: signature.changeID, b: late.changeID, aPlace: notePlace, bPlace: ChangePlace(table: late.table, row: late.rowID)))
            }
        }
        return found
    }

    /// (HLC, origin) of the change behind a side, for "A is the smaller".
    func order(kind: String, table: String, _ reference: String, place: ChangePlace?) throws -> String {
        let row = kind == "concurrent-edit"
            ? try change(reference, place: place, columns: "hlc, origin")
            : try db.first("SELECT hlc, origin FROM change WHERE tbl = ? AND row_id = ? ORDER BY hlc, origin LIMIT 1", [table, reference])
        guard let row else { return "" }
        return String(format: "%020lld", row.int(0)) + row.string(1)
    }

    func stillHolds(kind: String, a: String, b: String) throws -> Bool {
        switch kind {
        case "double-booking":
            return try db.first("""
                SELECT 1 FROM appointment x JOIN appointment y ON y.id = ?
                WHERE x.id = ? AND x.status != 'cancelled' AND y.status != 'cancelled' AND x.start_ms < y.end_ms AND y.start_ms < x.end_ms
                AND (x.staff_id = y.staff_id OR x.room_id = y.room_id OR x.patient_id = y.patient_id)
                """, [b, a]) != nil
        case "note-on-cancelled":
            return try db.first("SELECT 1 FROM appointment WHERE id = ? AND status = 'cancelled'", [a]) != nil
                && db.first("SELECT 1 FROM note WHERE id = ?", [b]) != nil
        case "duplicate-chart":
            return try db.first("SELECT 1 FROM patient x JOIN patient y ON y.id = ? WHERE x.id = ? AND x.chart = y.chart", [b, a]) != nil
        case "duplicate-handle":
            return try db.first("SELECT 1 FROM staff x JOIN staff y ON y.id = ? WHERE x.id = ? AND x.handle = y.handle", [b, a]) != nil
        case "duplicate-slug":
            return try db.first("SELECT 1 FROM service x JOIN service y ON y.id = ? WHERE x.id = ? AND x.slug = y.slug", [b, a]) != nil
        default:
            return true
        }
    }

    /// A stored change by its id, found through its place (`change_row`); without one (a conflict
    /// recorded before places were kept and not found by the migration), by a scan.
    func change(_ id: String, place: ChangePlace?, columns: String) throws -> Row? {
        guard let place else { return try db.first("SELECT \(columns) FROM change WHERE change_id = ?", [id]) }
        return try db.first("SELECT \(columns) FROM change WHERE tbl = ? AND row_id = ? AND change_id = ?", [place.table, place.row, id])
    }

    func side(kind: String, table: String, reference: String, place: ChangePlace?) throws -> Side {
        if kind == "concurrent-edit" || kind == "edit-after-sign" {
            guard let row = try change(reference, place: place, columns: "origin, hlc, tbl, row_id, grp, vals") else {
                return Side(reference: reference, summary: .null)
            }
            return Side(reference: reference, summary: .object([
                "origin": .string(row.string(0)), "hlc": .string(HLC(rawValue: row.int(1)).description), "table": .string(row.string(2)),
                "row": .string(row.string(3)), "group": .string(row.string(4)),
                "values": (try? JSONParser.parse(row.string(5))) ?? .null,
            ]))
        }
        guard let synced = SyncSchema.table(table),
              let row = try db.first("SELECT \(synced.columns.joined(separator: ", ")) FROM \(table) WHERE id = ?", [reference]) else {
            return Side(reference: reference, summary: .null)
        }
        var members: [String: JSONValue] = ["id": .string(reference)]
        for (index, column) in synced.columns.enumerated() where !["search", "signed_content"].contains(column) {
            members[column] = SyncValues.json(row.values[index])
        }
        return Side(reference: reference, summary: .object(members))
    }

    /// Records a person's decision as a synced change. Keeping one side of a double booking cancels
    /// the other; keeping the older side of a concurrent edit writes its values again so it wins.
    package func resolve(id text: String, keep: String, by handle: String, now: Int64) throws -> Entry {
        try db.write { db in
            let all = try ConflictBook(db).list(includeResolved: true)
            let matches = all.filter { $0.id == text || $0.id.hasPrefix(text.lowercased()) }
            guard text.count >= 8, matches.count == 1, let entry = matches.first else {
                throw matches.count > 1 ? ClinicError(.ambiguous, "more than one conflict starts with \(text)")
                                        : ClinicError.notFound("conflict \(text)")
            }
            guard entry.resolution == nil else { throw ClinicError(.duplicate, "this conflict is already resolved") }
            guard keep == "A" || keep == "B" else { throw ClinicError(.invalidSide, "\(.conflictSide) must be A or B") }
            let kept = keep == "A" ? entry.a : entry.b
            let dropped = keep == "A" ? entry.b : entry.a
            switch entry.kind {
            case "double-booking":
                _ = try Scheduler(db).cancel(dropped.reference, reason: "double booking resolved in favour of \(IDSuffix.short(kept.reference))",
                                             series: false, now: now)
            case "concurrent-edit":
                if let table = kept.summary["table"]?.stringValue, let row = kept.summary["row"]?.stringValue,
                   let values = kept.summary["values"]?.objectValue, let synced = SyncSchema.table(table), !values.isEmpty,
                   values.keys.allSatisfy({ synced.columns.contains($0) }) {
                    let columns = values.keys.sorted()
                    try db.execute("UPDATE \(table) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                                   columns.map { SyncValues.sql(values[$0] ?? .null) } + [row])
                    // Restoring an older slot can itself make an overlap: look, as an import would.
                    var recorder = try Merger(db: db, now: now)
                    try ConflictDetector(db: db, now: now).detect(touched: [Merger.RowKey(table: table, rowID: row)], recorder: &recorder)
                }
            default:
                break
            }
            try db.execute("INSERT INTO conflict_resolution (id, conflict_id, keep, resolved_by, resolved_at) VALUES (?, ?, ?, ?, ?)",
                           [UUIDv7.string(at: Instant.date(now)), entry.id, keep, handle, now])
            var resolved = entry
            resolved.resolution = keep
            return resolved
        }
    }
}
