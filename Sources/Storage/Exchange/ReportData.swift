import Models

/// What the reports are computed from, site by site: an appointment counts at its room's site, within
/// the report's days bounded in that site's zone. The arithmetic is in Models (`UtilizationReport`,
/// `AttendanceReport`, `TreatmentReport`).
public struct ReportData {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One site a report covers: the site, its zone, and the report's days bounded in that zone.
    public struct Place: Sendable {
        public let site: Site
        public let zone: SiteTimeZone
        public let range: ReportRange
    }

    /// The sites `sites` names (an unknown code is `not-found`), by code, each with the report's days. The
    /// days are `from`…`until`, by default the current week in the chosen site's zone (this database's
    /// for every site); a range backwards or over 366 days is refused as `ReportRange` says.
    public func places(_ sites: ReportSites, from: CivilDate?, until: CivilDate?, now: Int64) throws -> [Place] {
        let repository = SiteRepository(db)
        let chosen: [Site]
        switch sites {
        case .here: chosen = [try repository.local()]
        case .site(let code): chosen = [try repository.require(code: code)]
        case .all: chosen = try repository.all()
        }
        let reference = sites == .all ? try repository.zone() : try repository.zone(of: chosen[0])
        let days = try ReportRange(from: from, until: until, today: reference.local(now).date, zone: reference)
        return try chosen.map { site in
            let zone = try repository.zone(of: site)
            return Place(site: site, zone: zone, range: days.bounded(in: zone))
        }
    }

    /// Appointments at `place` (in its rooms) starting within its days, every status.
    public func appointments(at place: Place) throws -> [ReportAppointment] {
        try db.query(AppointmentRecord.select + " WHERE r.site_id = ? AND a.start_ms >= ? AND a.start_ms < ? ORDER BY a.start_ms",
                     [place.site.id, place.range.start, place.range.end]).map {
            let record = AppointmentRecord($0)
            return ReportAppointment(practitioner: record.practitionerHandle, room: record.roomName, span: record.appointment.span,
                                     status: record.appointment.status, lateCancel: record.appointment.lateCancel)
        }
    }

    /// The weekly hours and the time off within the days of `place` of each clinician who works there:
    /// every clinician with working hours, and any other who has `appointments` there, by handle.
    public func availability(at place: Place, appointments: [ReportAppointment]) throws -> [ReportAvailability] {
        let hours = AvailabilityRepository(db)
        let booked = Set(appointments.map(\.practitioner))
        return try StaffRepository(db).all().filter(\.isClinician).compactMap { staff in
            let weekly = try hours.hours(staffID: staff.id, siteID: place.site.id)
            guard !weekly.isEmpty || booked.contains(staff.handle) else { return nil }
            return ReportAvailability(practitioner: staff.handle, hours: weekly,
                                      timeOff: try hours.timeOff(staffID: staff.id, from: place.range.start, to: place.range.end))
        }
    }

    /// The rooms of `place`, in the order they were added.
    public func rooms(at place: Place) throws -> [String] {
        try RoomRepository(db).all().filter { $0.siteID == place.site.id }.map(\.name)
    }

    /// Sessions at each of `sites` within its days (visits completed or checked in, or with a signed
    /// note) and what their signed notes recorded. Reads clinical data: audited, and refused to the front desk.
    public static func sessions(_ session: AuditedSession, sites: ReportSites, from: CivilDate?, until: CivilDate?,
                                report: Action) throws -> [(place: Place, sessions: [ReportSession])] {
        try session.run(report, entity: "report") { db, _, _ in
            try ReportData(db).places(sites, from: from, until: until, now: session.now).map { place in
                (place, try ReportData(db).sessions(at: place))
            }
        }
    }

    func sessions(at place: Place) throws -> [ReportSession] {
        var seen = Set<String>()
        let patients = PatientRepository(db)
        return try db.query("""
            SELECT a.id, a.patient_id, a.start_ms, n.pain_before, n.pain_after,
                   (SELECT COUNT(*) FROM needling g WHERE g.note_id = n.id AND g.point IS NOT NULL),
                   (SELECT COUNT(*) FROM needling g WHERE g.note_id = n.id AND g.muscle IS NOT NULL),
                   (SELECT COALESCE(SUM(g.count), 0) FROM needling g WHERE g.note_id = n.id),
                   n.ndi, n.odi, n.psfs
            FROM appointment a JOIN room r ON r.id = a.room_id
            LEFT JOIN note n ON n.appointment_id = a.id AND n.status = 'signed'
            WHERE r.site_id = ? AND a.start_ms >= ? AND a.start_ms < ? AND (a.status IN ('completed', 'checked-in') OR n.id IS NOT NULL)
            ORDER BY a.start_ms, a.id
            """, [place.site.id, place.range.start, place.range.end]).compactMap { row in
            guard seen.insert(row.string(0)).inserted else { return nil }
            // A merged chart's sessions count as the kept chart's, so a course is one person's.
            let patientID = try patients.kept(row.string(1))
            return ReportSession(patientID: patientID, start: row.int(2), acupoints: Int(row.int(5)), muscles: Int(row.int(6)),
                                 needlesInserted: Int(row.int(7)), painBefore: row.optionalInt(3).map(Int.init),
                                 painAfter: row.optionalInt(4).map(Int.init), chart: try patients.byID(patientID)?.chart ?? "",
                                 measures: [.ndi: row.optionalDouble(8), .odi: row.optionalDouble(9), .psfs: row.optionalDouble(10)]
                                    .compactMapValues { $0 })
        }
    }
}
