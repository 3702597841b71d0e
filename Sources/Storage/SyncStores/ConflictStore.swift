/// The conflicts sync found (`conflict`) and the resolutions people recorded (`conflict_resolution`).
public struct ConflictStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A recorded conflict; `row`: the row both sides change, for a concurrent edit.
    public struct Recorded {
        public let id: String
        public let kind: String
        public let table: String
        public let a: String
        public let b: String
        public let row: String?
    }

    /// Records a conflict under its id; true when it is new here.
    public func record(id: String, kind: String, table: String, a: String, b: String, row: String?, at now: Int64) throws -> Bool {
        try db.execute("""
            INSERT OR IGNORE INTO conflict (id, kind, tbl, a_ref, b_ref, a_json, b_json, detected_at, row_id) VALUES (?, ?, ?, ?, ?, '', '', ?, ?)
            """, [id, kind, table, a, b, now, row])
        return db.changes > 0
    }

    /// Every recorded conflict.
    public func all() throws -> [Recorded] {
        try db.query("SELECT id, kind, tbl, a_ref, b_ref, row_id FROM conflict").map {
            Recorded(id: $0.string(0), kind: $0.string(1), table: $0.string(2), a: $0.string(3), b: $0.string(4), row: $0.optionalString(5))
        }
    }

    /// The side kept by the first resolution recorded for the conflict, or nil while unresolved.
    public func resolution(of conflictID: String) throws -> String? {
        try db.first("SELECT keep FROM conflict_resolution WHERE conflict_id = ? ORDER BY id LIMIT 1", [conflictID])?.string(0)
    }

    /// (appointment, note) for every note on a cancelled appointment: such a conflict can also arise
    /// from local writes, so it is listed from the data itself.
    public func notesOnCancelledAppointments() throws -> [(appointment: String, note: String)] {
        try db.query("SELECT a.id, n.id FROM note n JOIN appointment a ON a.id = n.appointment_id WHERE a.status = 'cancelled'")
            .map { ($0.string(0), $0.string(1)) }
    }

    /// The ids of the notes signed here.
    public func signedNoteIDs() throws -> [String] {
        try db.query("SELECT id FROM note WHERE status = 'signed'").map { $0.string(0) }
    }

    /// True while two bookings are both active and overlap in time for one practitioner, room or patient.
    public func bookingsOverlap(_ a: String, _ b: String) throws -> Bool {
        try db.first("""
            SELECT 1 FROM appointment x JOIN appointment y ON y.id = ?
            WHERE x.id = ? AND x.status != 'cancelled' AND y.status != 'cancelled' AND x.start_ms < y.end_ms AND y.start_ms < x.end_ms
            AND (x.staff_id = y.staff_id OR x.room_id = y.room_id OR x.patient_id = y.patient_id)
            """, [b, a]) != nil
    }

    /// True while the appointment is cancelled and the note exists.
    public func noteOnCancelledStands(appointment: String, note: String) throws -> Bool {
        try db.first("SELECT 1 FROM appointment WHERE id = ? AND status = 'cancelled'", [appointment]) != nil
            && db.first("SELECT 1 FROM note WHERE id = ?", [note]) != nil
    }

    /// True while two rows of `table` hold the same value of the typed key `column` (`ConflictScanStore.typedKeys`).
    public func shareTypedKey(table: String, _ a: String, _ b: String) throws -> Bool {
        guard let column = ConflictScanStore.typedKeys.first(where: { $0.table == table })?.column else { return false }
        return try db.first("SELECT 1 FROM \(table) x JOIN \(table) y ON y.id = ? WHERE x.id = ? AND x.\(column) = y.\(column)", [b, a]) != nil
    }

    /// Records a person's resolution (a synced row: every site learns it).
    public func recordResolution(id: String, conflictID: String, keep: String, by handle: String, at now: Int64) throws {
        try db.execute("INSERT INTO conflict_resolution (id, conflict_id, keep, resolved_by, resolved_at) VALUES (?, ?, ?, ?, ?)",
                       [id, conflictID, keep, handle, now])
    }
}
