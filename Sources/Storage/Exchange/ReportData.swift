import Models

/// What the reports are computed from, read for a range of local days. The arithmetic is in
/// Models (`UtilizationReport`, `AttendanceReport`, `TreatmentReport`).
public struct ReportData {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Appointments starting in `[from, to)`, every status.
    public func appointments(from: Int64, to: Int64) throws -> [ReportAppointment] {
        try db.query(AppointmentRecord.select + " WHERE a.start_ms >= ? AND a.start_ms < ? ORDER BY a.start_ms", [from, to]).map {
            let record = AppointmentRecord($0)
            return ReportAppointment(practitioner: record.practitionerHandle, room: record.roomName, span: record.appointment.span,
                                     status: record.appointment.status, lateCancel: record.appointment.lateCancel)
        }
    }

    /// Every clinician's weekly hours and the time off that overlaps `[from, to)`, by handle.
    public func availability(from: Int64, to: Int64) throws -> [ReportAvailability] {
        let hours = AvailabilityRepository(db)
        return try StaffRepository(db).all().filter(\.isClinician).map {
            ReportAvailability(practitioner: $0.handle, hours: try hours.hours(staffID: $0.id, siteID: try SiteRepository(db).local().id),
                               timeOff: try hours.timeOff(staffID: $0.id, from: from, to: to))
        }
    }

    /// Room names in the order they were added.
    public func rooms() throws -> [String] { try RoomRepository(db).all().map(\.name) }

    /// Sessions in `[from, to)` (visits completed or checked in, or with a signed note) and what
    /// their signed notes recorded. Reads clinical data: audited, and refused to the front desk.
    public static func sessions(_ session: AuditedSession, from: Int64, to: Int64, report: Action) throws -> [ReportSession] {
        try session.run(report, entity: "report") { db, _, _ in
            var seen = Set<String>()
            return try db.query("""
                SELECT a.id, a.patient_id, a.start_ms, n.pain_before, n.pain_after,
                       (SELECT COUNT(*) FROM needling g WHERE g.note_id = n.id AND g.point IS NOT NULL),
                       (SELECT COUNT(*) FROM needling g WHERE g.note_id = n.id AND g.muscle IS NOT NULL),
                       (SELECT COALESCE(SUM(g.count), 0) FROM needling g WHERE g.note_id = n.id)
                FROM appointment a LEFT JOIN note n ON n.appointment_id = a.id AND n.status = 'signed'
                WHERE a.start_ms >= ? AND a.start_ms < ? AND (a.status IN ('completed', 'checked-in') OR n.id IS NOT NULL)
                ORDER BY a.start_ms, a.id
                """, [from, to]).compactMap { row in
                guard seen.insert(row.string(0)).inserted else { return nil }
                return ReportSession(patientID: row.string(1), start: row.int(2), acupoints: Int(row.int(5)), muscles: Int(row.int(6)),
                                     needlesInserted: Int(row.int(7)), painBefore: row.optionalInt(3).map(Int.init),
                                     painAfter: row.optionalInt(4).map(Int.init))
            }
        }
    }
}
