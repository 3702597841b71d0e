import Models

/// An appointment with the handles people read: chart number, practitioner handle, room and service.
public struct AppointmentRecord: Sendable, Equatable {
    public var appointment: Appointment
    public var patientChart: String
    public var practitionerHandle: String
    public var roomName: String
    public var serviceSlug: String
    /// The site the appointment happens at: its room's (code and IANA zone, for showing its times).
    public var siteID: String
    public var siteCode: String
    public var siteTimeZone: String
    /// Cancelled because a person resolved a double booking in favour of another booking (`ResolutionMarks`);
    /// set only where a command asks for it (`schedule`).
    public var cancelledByResolution = false

    public var id: String { appointment.id }

    static let select = """
        SELECT a.id, a.patient_id, a.staff_id, a.room_id, a.service_id, a.start_ms, a.end_ms, a.status, a.late_cancel,
               a.cancel_reason, a.series_id, p.chart, s.handle, r.name, v.slug, t.id, t.code, t.timezone
        FROM appointment a
        LEFT JOIN patient_alias pa ON pa.id = a.patient_id
        JOIN patient p ON p.id = COALESCE(pa.keep_id, a.patient_id)
        JOIN staff s ON s.id = a.staff_id
        JOIN room r ON r.id = a.room_id
        JOIN site t ON t.id = r.site_id
        JOIN service v ON v.id = a.service_id
        """

    init(appointment: Appointment, patientChart: String, practitionerHandle: String, roomName: String, serviceSlug: String, site: Site) {
        self.appointment = appointment
        self.patientChart = patientChart
        self.practitionerHandle = practitionerHandle
        self.roomName = roomName
        self.serviceSlug = serviceSlug
        siteID = site.id
        siteCode = site.code
        siteTimeZone = site.timeZone
    }

    init(_ row: Row) {
        appointment = Appointment(id: row.string(0), patientID: row.string(1), practitionerID: row.string(2), roomID: row.string(3),
                                  serviceID: row.string(4), span: TimeSpan(start: row.int(5), end: row.int(6)),
                                  status: AppointmentStatus(rawValue: row.string(7)) ?? .booked, lateCancel: row.bool(8),
                                  cancelReason: row.optionalString(9), seriesID: row.optionalString(10))
        patientChart = row.string(11)
        practitionerHandle = row.string(12)
        roomName = row.string(13)
        serviceSlug = row.string(14)
        siteID = row.string(15)
        siteCode = row.string(16)
        siteTimeZone = row.string(17)
    }
}
