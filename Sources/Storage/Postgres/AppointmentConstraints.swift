import Models

/// The PostgreSQL side of "no double booking" (issue 28, design §3 "Double bookings"): the server itself
/// refuses a second active appointment of one practitioner, room or patient in an overlapping interval,
/// so two workstations cannot both pass the scheduler's check and both commit.
///
/// The appointment table is shaped like SQLite's (text ids, `bigint` instants in ms, text status) plus
/// a local `in_conflict` flag (0/1, not captured, not in the digest): an import that brings an offline
/// double booking defers the constraints, stores both rows and marks them before COMMIT; resolving the
/// conflict clears the flag on the kept row and the constraint binds it again.
///
/// The constraints are `DEFERRABLE INITIALLY IMMEDIATE`: an ordinary write is checked at each statement,
/// and only `SET CONSTRAINTS ... DEFERRED` (an import) moves the check to COMMIT. A violation is SQLSTATE
/// 23P01, which `PostgresLink` turns into `slot-taken` naming the resource through `resource(constraint:)`.
public enum AppointmentConstraints {
    /// The statuses that give the slot back, from `AppointmentStatus.holdsSlot` (only `cancelled` today):
    /// every other status, including one this build does not know, keeps holding the slot.
    static var freeingStatuses: [AppointmentStatus] { AppointmentStatus.allCases.filter { !$0.holdsSlot } }

    /// The rows the constraints bind: those holding their slot and not marked as a known double booking.
    public static var activePredicate: String {
        let freeing = freeingStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return "status NOT IN (\(freeing)) AND in_conflict = 0"
    }

    /// The constraint's name for each resource, the key `resource(constraint:)` reads back.
    public static func constraintName(_ resource: ClashResource) -> String {
        "appointment_\(resource.rawValue)_overlap"
    }

    /// The column each resource is compared on.
    static func column(_ resource: ClashResource) -> String {
        switch resource {
        case .practitioner: return "staff_id"
        case .room: return "room_id"
        case .patient: return "patient_id"
        }
    }

    /// The resources in the order their constraints are created.
    static let resources: [ClashResource] = [.practitioner, .room, .patient]

    /// `btree_gist` gives GiST the `=` on text that an exclusion constraint mixing a text id and a range
    /// needs. Creating it needs a role allowed to (it is a trusted extension from PostgreSQL 13 on, so a
    /// database owner may).
    public static let extensionDDL = "CREATE EXTENSION IF NOT EXISTS btree_gist"

    /// The appointment table, its columns as SQLite's (schema 16) and the local `in_conflict` flag.
    /// No foreign keys yet: the spike has no patient, staff, room or service tables.
    public static let tableDDL = """
    CREATE TABLE appointment (
        id text PRIMARY KEY,
        patient_id text NOT NULL,
        staff_id text NOT NULL,
        room_id text NOT NULL,
        service_id text NOT NULL,
        start_ms bigint NOT NULL,
        end_ms bigint NOT NULL CHECK (end_ms > start_ms),
        status text NOT NULL CHECK (status IN (\(AppointmentStatus.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")))),
        late_cancel bigint NOT NULL DEFAULT 0,
        cancel_reason text,
        series_id text,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        sequence bigint NOT NULL DEFAULT 0,
        original_start_ms bigint,
        in_conflict bigint NOT NULL DEFAULT 0 CHECK (in_conflict IN (0, 1))
    )
    """

    /// One exclusion constraint: no two bound rows with the same `resource` whose half-open intervals
    /// `[start_ms, end_ms)` overlap (09:00–09:30 and 09:30–10:00 touch and do not overlap).
    public static func constraintDDL(_ resource: ClashResource) -> String {
        """
        ALTER TABLE appointment ADD CONSTRAINT \(constraintName(resource)) \
        EXCLUDE USING gist (\(column(resource)) WITH =, int8range(start_ms, end_ms) WITH &&) \
        WHERE (\(activePredicate)) DEFERRABLE INITIALLY IMMEDIATE
        """
    }

    /// Every statement, in order, that sets up the table and its three constraints in an empty schema.
    public static var setupStatements: [String] {
        [extensionDDL, tableDDL] + resources.map(constraintDDL)
    }

    /// Which resource a constraint named by the server guards, or nil when it is none of these.
    public static func resource(constraint name: String) -> ClashResource? {
        resources.first { constraintName($0) == name }
    }

    /// The refusal for an exclusion violation of `constraint`: which resource, never which values
    /// (the server's detail text quotes both rows' ids and ranges, and is not kept). Nil for another
    /// constraint.
    public static func slotTaken(constraint name: String) -> ClinicError? {
        guard let resource = resource(constraint: name) else { return nil }
        let what: String
        switch resource {
        case .practitioner: what = "the practitioner is already booked"
        case .room: what = "the room is already booked"
        case .patient: what = "the patient already has an appointment"
        }
        return ClinicError(.slotTaken, ErrorMessage(verbatim: "\(what) in an overlapping interval; nothing was changed"))
    }
}
