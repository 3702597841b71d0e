import Models
import Storage

/// Finds what last-writer-wins cannot fix once a batch is merged: overlapping bookings made at two
/// sites, two patients under one chart number, a note on an appointment cancelled elsewhere.
struct ConflictDetector {
    let db: Database
    let now: Int64
    /// The queries, compiled once per detector (`ConflictScanStore`).
    private let scan: ConflictScanStore
    /// The kind of conflict two rows holding one typed key make, by table.
    private static let sameKeyKinds = ["patient": "duplicate-chart", "staff": "duplicate-handle", "service": "duplicate-slug"]
    /// The tables whose new rows `detect` looks at: bookings, and rows with a key a person types.
    static let checkedTables = ["appointment", "patient", "staff", "service"]
    /// Rows per statement when checking a range of inserted rows.
    static let sliceRows: Int64 = 8_192

    init(db: Database, now: Int64) throws {
        self.db = db
        self.now = now
        scan = try ConflictScanStore(db)
    }

    /// Looks for conflicts among `touched` rows (named by id) and `inserted` rows (just inserted by
    /// the import, with their rowids, so no id needs looking up).
    func detect(touched: [Merger.RowKey], inserted: [Merger.InsertedRow] = [], recorder: inout Merger) throws {
        var appointmentIDs: [String] = []
        var appointmentRows: [Int64] = []
        for key in touched {
            switch key.table {
            case "appointment":
                appointmentIDs.append(key.rowID)
            case "note":
                if let appointment = try scan.cancelledAppointment(ofNote: key.rowID) {
                    try recorder.recordConflict(kind: "note-on-cancelled", table: "appointment", a: appointment, b: key.rowID)
                }
            default:
                guard let kind = Self.sameKeyKinds[key.table] else { continue }
                for other in try scan.sameKey(table: key.table, id: key.rowID) {
                    try recorder.recordConflict(kind: kind, table: key.table, a: key.rowID, b: other)
                }
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
            } else if let kind = Self.sameKeyKinds[row.key.table] {
                for other in try scan.sameKey(table: row.key.table, rowid: row.rowid) {
                    try recorder.recordConflict(kind: kind, table: row.key.table, a: row.key.rowID, b: other)
                }
            }
        }
        if !appointmentIDs.isEmpty { appointmentRows += try scan.appointmentRowIDs(ids: appointmentIDs) }
        // Conflicts are recorded after the reading ends: recording writes, which a statement still stepping must not see.
        var found: [(kind: String, a: String, b: String)] = []
        if let range { found += try bookingConflicts(range, maxDuration: recorder.maxDuration) }
        if !appointmentRows.isEmpty {
            found += try scan.overlaps(rows: appointmentRows, maxDuration: recorder.maxDuration).map { ("double-booking", $0.0, $0.1) }
            found += try scan.notesOnCancelled(rows: appointmentRows).map { ("note-on-cancelled", $0.0, $0.1) }
        }
        for conflict in found { try recorder.recordConflict(kind: conflict.kind, table: "appointment", a: conflict.a, b: conflict.b) }
    }

    /// Looks for conflicts among the rows inserted above each mark (the rows an import inserted while
    /// its checks waited), each kind in one statement over the range.
    func detect(insertedAfter marks: [SetAsideIndexes.Mark], recorder: inout Merger) throws {
        var found: [(kind: String, table: String, a: String, b: String)] = []
        for mark in marks {
            guard let end = try scan.lastRowID(mark.table), end > mark.lastRowBefore else { continue }
            // In slices, so what the overlap statement materialises stays the size of a chunk's.
            var first = mark.lastRowBefore + 1
            while first <= end {
                let last = min(end, first + Self.sliceRows - 1)
                defer { first = last + 1 }
                if mark.table == "appointment" {
                    found += try bookingConflicts(first...last, maxDuration: recorder.maxDuration).map { ($0.kind, "appointment", $0.a, $0.b) }
                } else if let kind = Self.sameKeyKinds[mark.table] {
                    found += try scan.sameKey(table: mark.table, range: first...last).map { (kind, mark.table, $0.0, $0.1) }
                }
            }
        }
        for conflict in found { try recorder.recordConflict(kind: conflict.kind, table: conflict.table, a: conflict.a, b: conflict.b) }
    }

    /// Double bookings and notes on cancelled bookings among the bookings of a range of rowids.
    private func bookingConflicts(_ rows: ClosedRange<Int64>, maxDuration: Int64) throws -> [(kind: String, a: String, b: String)] {
        try scan.overlaps(range: rows, maxDuration: maxDuration).map { ("double-booking", $0.0, $0.1) }
            + scan.notesOnCancelled(range: rows).map { ("note-on-cancelled", $0.0, $0.1) }
    }
}

/// The conflicts a person must look at, and their resolution (itself a synced change).
public struct ConflictBook {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One side of a conflict as shown to a person: the row or change (`summary`), and what a front desk
    /// needs to act on it (`ConflictBook+Sides.swift`).
    public struct Side: Sendable {
        public var reference: String
        public var summary: JSONValue
        /// Where the side happens (a booking's site, a patient's) or was written (an edit's origin): site code and IANA zone.
        public var site: String? = nil
        public var zone: String? = nil
        /// A booking's times, or those an edit of its slot gives it, shown in `timesZone` (the booking's site's).
        public var start: Int64? = nil
        public var end: Int64? = nil
        public var timesSite: String? = nil
        public var timesZone: String? = nil
        /// When an edit, a signature or a row was made: the wall-clock part of its stamp, shown in `zone`.
        public var madeAt: Int64? = nil
        public var practitioner: String? = nil
        public var room: String? = nil
        public var patient: String? = nil
        public var service: String? = nil
        public var status: String? = nil
    }

    /// A conflict as listed: its id (the same at every site), kind, sides and resolution.
    public struct Entry: Sendable {
        public var id: String
        public var kind: String
        public var table: String
        public var a: Side
        public var b: Side
        public var resolution: String?
        public var resolvedBy: String? = nil
        public var resolvedAt: Int64? = nil
        /// The sites of the sides (A's first), and what both sides share: the practitioner, room or chart at stake.
        public var sites: [String] = []
        public var practitioner: String? = nil
        public var room: String? = nil
        public var patient: String? = nil
        /// The command that resolves it, while it is open.
        public var resolveCommand: String? = nil
        /// What resolving it just did, in a line (set by `resolve` only).
        public var effect: String? = nil
    }

    /// Conflicts that still hold (a double booking whose bookings no longer overlap is gone), with
    /// their resolution if one was recorded; with `includeResolved`, every resolved conflict too, whether
    /// or not it still holds (a resolved double booking no longer overlaps). The same at every site once
    /// they have exchanged everything.
    package func list(includeResolved: Bool = false) throws -> [Entry] {
        var entries: [Entry] = []
        let store = ConflictStore(db)
        var rows = try store.all().map { row -> Listed in
            // Both sides of a concurrent edit are changes to one row of the conflict's table.
            let place = row.row.map { ChangePlace(table: row.table, row: $0) }
            return Listed(id: row.id, kind: row.kind, table: row.table, a: row.a, b: row.b, aPlace: place, bPlace: place)
        }
        // A note on a cancelled appointment can also arise from local writes: list it from the data itself.
        for row in try store.notesOnCancelledAppointments() {
            let identity = ConflictIdentity.between(kind: "note-on-cancelled", row.appointment, row.note)
            if !rows.contains(where: { $0.id == identity.id }) {
                rows.append(Listed(id: identity.id, kind: "note-on-cancelled", table: "appointment", a: identity.a, b: identity.b))
            }
        }
        rows += try editsAfterSign()
        if includeResolved {
            // A site that received a cancellation with the bookings it settles never saw them both active: find the pair.
            let unlisted = try store.resolvedConflictIDs().subtracting(rows.map(\.id))
            for identity in try ResolutionMarks(db).resolvedDoubleBookings(among: unlisted) {
                rows.append(Listed(id: identity.id, kind: "double-booking", table: "appointment", a: identity.a, b: identity.b))
            }
        }
        for row in rows.sorted(by: { $0.id < $1.id }) {
            let id = row.id, kind = row.kind, table = row.table
            // Two members sharing a handle stay listed until one is renamed: an older release let `--keep`
            // "resolve" the clash and change nothing, which left both (listed again for renaming).
            let resolution = kind == "duplicate-handle" ? nil : try store.recordedResolution(of: id)
            if resolution != nil, !includeResolved { continue }
            guard try stillHolds(kind: kind, a: row.a, b: row.b, resolved: resolution != nil) else { continue }
            // A note on a cancelled booking: side A is the booking, side B the note.
            var sideA = try side(kind: kind, table: table, reference: row.a, place: row.aPlace)
            var sideB = try side(kind: kind, table: kind == "note-on-cancelled" ? "note" : table, reference: row.b, place: row.bPlace)
            if kind == "double-booking" || kind == "duplicate-chart" || kind == "duplicate-handle" || kind == "duplicate-slug" || kind == "concurrent-edit" {
                if try order(kind: kind, table: table, row.b, place: row.bPlace) < order(kind: kind, table: table, row.a, place: row.aPlace) {
                    swap(&sideA, &sideB)
                }
            }
            var entry = Entry(id: id, kind: kind, table: table, a: sideA, b: sideB, resolution: resolution?.keep,
                              resolvedBy: resolution?.by, resolvedAt: resolution?.at)
            entry.describeStakes()
            entries.append(entry)
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
        let noteTable = SyncSchema.signedNoteTable.name
        for noteID in try ConflictStore(db).signedNoteIDs() {
            guard let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs else { continue }
            let notePlace = ChangePlace(table: noteTable, row: noteID)
            for late in try SignedNotes.lateChanges(db, noteID: noteID, signature: signature) {
                let identity = ConflictIdentity.editAfterSign(signature: signature.changeID, late: late.changeID)
                found.append(Listed(id: identity.id, kind: "edit-after-sign", table: noteTable, a: identity.a, b: identity.b,
                                    aPlace: notePlace, bPlace: ChangePlace(table: late.table, row: late.rowID)))
            }
        }
        return found
    }

    /// (HLC, origin) of the change behind a side, for "A is the smaller".
    func order(kind: String, table: String, _ reference: String, place: ChangePlace?) throws -> String {
        guard kind == "concurrent-edit" else { return try ConflictStore(db).sideOrder(table: table, row: reference) }
        guard let change = try change(reference, place: place) else { return "" }
        return ConflictStore.order(hlc: change.hlc, origin: change.origin)
    }

    /// Whether a conflict is still there to list, from the data alone, so every site agrees. A resolved
    /// double booking stays while its bookings overlap in time, though the resolution cancelled one.
    func stillHolds(kind: String, a: String, b: String, resolved: Bool = false) throws -> Bool {
        switch kind {
        case "double-booking":
            return try resolved ? ConflictStore(db).bookingsOverlapInTime(a, b) : ConflictStore(db).bookingsOverlap(a, b)
        case "note-on-cancelled":
            return try ConflictStore(db).noteOnCancelledStands(appointment: a, note: b)
        case "duplicate-chart":
            return try ConflictStore(db).shareTypedKey(table: "patient", a, b)
        case "duplicate-handle":
            return try ConflictStore(db).shareTypedKey(table: "staff", a, b)
        case "duplicate-slug":
            return try ConflictStore(db).shareTypedKey(table: "service", a, b)
        default:
            return true
        }
    }

    /// A stored change by its id, found through its place (`change_row`); without one (a conflict
    /// recorded before places were kept and not found by the migration), by a scan.
    func change(_ id: String, place: ChangePlace?) throws -> ChangeLogStore.StoredChange? {
        try ChangeLogStore(db).change(id: id, table: place?.table, row: place?.row)
    }

    /// A side: a change (edits), else the row of `table` it names, with what a person needs to act on it.
    func side(kind: String, table: String, reference: String, place: ChangePlace?) throws -> Side {
        if kind == "concurrent-edit" || kind == "edit-after-sign" {
            guard let change = try change(reference, place: place) else { return Side(reference: reference, summary: .null) }
            var side = Side(reference: reference, summary: .object([
                "origin": .string(change.origin), "hlc": .string(HLC(rawValue: change.hlc).description), "table": .string(change.table),
                "row": .string(change.rowID), "group": .string(change.group),
                "values": (try? JSONParser.parse(change.values)) ?? .null,
            ]))
            try describe(&side, change: change)
            return side
        }
        guard let synced = SyncSchema.table(table), let values = try SyncedRowStore(db, table: synced).values(id: reference) else {
            return Side(reference: reference, summary: .null)
        }
        var members: [String: JSONValue] = ["id": .string(reference)]
        for column in synced.columns where !["search", "signed_content"].contains(column) { members[column] = values[column] ?? .null }
        var side = Side(reference: reference, summary: .object(members))
        try describe(&side, row: reference, of: table)
        return side
    }
}
