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
            INSERT INTO conflict (id, kind, tbl, a_ref, b_ref, a_json, b_json, detected_at, row_id) VALUES (?, ?, ?, ?, ?, '', '', ?, ?)
            ON CONFLICT DO NOTHING
            """, [id, kind, table, a, b, now, row])
        return db.changes > 0
    }

    /// Every recorded conflict.
    public func all() throws -> [Recorded] {
        try db.query("SELECT id, kind, tbl, a_ref, b_ref, row_id FROM conflict").map {
            Recorded(id: $0.string(0), kind: $0.string(1), table: $0.string(2), a: $0.string(3), b: $0.string(4), row: $0.optionalString(5))
        }
    }

    /// A person's decision on a conflict: the side kept, by whom, when.
    public struct Resolution: Sendable {
        public let keep: String
        public let by: String
        public let at: Int64
    }

    /// The side kept by the first resolution recorded for the conflict, or nil while unresolved.
    public func resolution(of conflictID: String) throws -> String? {
        try recordedResolution(of: conflictID)?.keep
    }

    /// The first resolution recorded for the conflict (the same at every site), or nil while unresolved.
    public func recordedResolution(of conflictID: String) throws -> Resolution? {
        try db.first("SELECT keep, resolved_by, resolved_at FROM conflict_resolution WHERE conflict_id = ? ORDER BY id LIMIT 1", [conflictID])
            .map { Resolution(keep: $0.string(0), by: $0.string(1), at: $0.int(2)) }
    }

    /// The ids of every conflict a resolution was recorded for.
    public func resolvedConflictIDs() throws -> Set<String> {
        Set(try db.query("SELECT DISTINCT conflict_id FROM conflict_resolution").map { $0.string(0) })
    }

    /// What orders a conflict's two rows: the (HLC, origin) of the row's first change, as text that
    /// sorts the same way; side A is the smaller. Empty for a row with no change.
    public func sideOrder(table: String, row: String) throws -> String {
        guard let stamp = try ChangeLogStore(db).firstStamp(table: table, row: row) else { return "" }
        return Self.order(hlc: stamp.hlc, origin: stamp.origin)
    }

    /// (HLC, origin) as text that sorts like the pair.
    public static func order(hlc: Int64, origin: String) -> String {
        String(format: "%020lld", hlc) + origin
    }

    /// True when a signature freezes the row: a signed note, or a needling or adverse-event row of one.
    /// Keeping a side of a conflict then records the decision and changes nothing.
    public func isLockedBySignature(table: String, row: String) throws -> Bool {
        switch table {
        case "note":
            return try db.first("SELECT 1 FROM note WHERE id = ? AND status = 'signed'", [row]) != nil
        case "needling", "adverse_event":
            return try db.first("SELECT 1 FROM \(table) x JOIN note n ON n.id = x.note_id WHERE x.id = ? AND n.status = 'signed'", [row]) != nil
        default:
            return false
        }
    }

    /// True when a booking may still be cancelled by a resolution: booked, and no note of it signed.
    /// A session that took place (checked in, completed, no-show) or has a signed note stays as it is.
    public func isStillBooked(appointment id: String) throws -> Bool {
        try db.first("""
            SELECT 1 FROM appointment a WHERE a.id = ? AND a.status = 'booked'
            AND NOT EXISTS (SELECT 1 FROM note n WHERE n.appointment_id = a.id AND n.status = 'signed')
            """, [id]) != nil
    }

    /// True when an appointment has a signed note: its slot no longer moves, even by a resolution.
    public func hasSignedNote(appointment id: String) throws -> Bool {
        try db.first("SELECT 1 FROM note WHERE appointment_id = ? AND status = 'signed'", [id]) != nil
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

    /// True while two bookings overlap in time for one practitioner, room or patient, whatever their
    /// status: a resolved double booking stays listed (one of them cancelled) while this holds.
    public func bookingsOverlapInTime(_ a: String, _ b: String) throws -> Bool {
        try db.first("""
            SELECT 1 FROM appointment x JOIN appointment y ON y.id = ?
            WHERE x.id = ? AND x.start_ms < y.end_ms AND y.start_ms < x.end_ms
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

    /// Marks the two bookings of a double booking as known (`in_conflict = 1`, a local column of
    /// PostgreSQL's appointment table): the exclusion constraints, deferred while an import runs,
    /// then pass them at COMMIT (`AppointmentConstraints`). SQLite has no such constraint: nothing to do.
    public func markDoubleBooking(_ a: String, _ b: String) throws {
        guard db.engine == .postgres else { return }
        try db.execute("UPDATE appointment SET in_conflict = 1 WHERE id IN (?, ?) AND in_conflict = 0", [a, b])
    }

    /// Clears the mark on the booking a resolution kept, so the exclusion constraints bind it again.
    public func clearDoubleBooking(_ id: String) throws {
        guard db.engine == .postgres else { return }
        try db.execute("UPDATE appointment SET in_conflict = 0 WHERE id = ? AND in_conflict = 1", [id])
    }

    /// Records a person's resolution (a synced row: every site learns it).
    public func recordResolution(id: String, conflictID: String, keep: String, by handle: String, at now: Int64) throws {
        try db.execute("INSERT INTO conflict_resolution (id, conflict_id, keep, resolved_by, resolved_at) VALUES (?, ?, ?, ?, ?)",
                       [id, conflictID, keep, handle, now])
    }
}
