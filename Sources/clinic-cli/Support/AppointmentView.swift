import Models
import Storage

/// An appointment as `--json` prints it (docs/CLI.md): the UTC instants `start` and `end`, the same as
/// wall-clock times in the zone of its site (`local_start`, `local_end`), and that site's code.
struct AppointmentView: Encodable {
    let id: String
    let start: String
    let end: String
    let local_start: String
    let local_end: String
    let site: String
    let practitioner: String
    let room: String
    let patient: String
    let service: String
    let status: String
    let late_cancel: Bool
    let series: String?
    /// In a schedule: whether it overlaps another booking of its practitioner, room or patient.
    let overlap: Bool?
    /// Cancelled because a conflict resolution kept another booking (marked where the command looks: `schedule`).
    let cancelled_by_resolution: Bool

    init(_ record: AppointmentRecord, times: SiteTimes, overlap: Bool? = nil) {
        id = record.id
        start = Instant.iso(record.appointment.span.start)
        end = Instant.iso(record.appointment.span.end)
        local_start = times.wallClock(record.appointment.span.start, of: record)
        local_end = times.wallClock(record.appointment.span.end, of: record)
        site = record.siteCode
        practitioner = record.practitionerHandle
        room = record.roomName
        patient = record.patientChart
        service = record.serviceSlug
        status = record.appointment.status.rawValue
        late_cancel = record.appointment.lateCancel
        series = record.appointment.seriesID
        self.overlap = overlap
        cancelled_by_resolution = record.cancelledByResolution
    }
}

/// `{"appointments": [...]}`, the shape every scheduling command prints.
struct AppointmentList: Encodable {
    let appointments: [AppointmentView]

    init(_ records: [AppointmentRecord], times: SiteTimes) {
        appointments = records.map { AppointmentView($0, times: times) }
    }
}

/// An appointment's status as tables show it: `booked`, `cancelled (late)`.
func statusText(_ record: AppointmentRecord) -> String {
    record.appointment.status.rawValue + (record.appointment.lateCancel ? " (late)" : "") + (record.cancelledByResolution ? " (conflict)" : "")
}

/// A plain table of appointments, each at its site's wall-clock time, labelled when the site is another one.
func appointmentTable(_ records: [AppointmentRecord], times: SiteTimes) -> String {
    var table = TextTable("ID", "WHEN", "END", "WITH", "ROOM", "PATIENT", "SERVICE", "STATUS")
    for r in records {
        table.add(IDSuffix.short(r.id), times.label(r.appointment.span.start, of: r), times.timeOfDay(r.appointment.span.end, of: r),
                  r.practitionerHandle, r.roomName, r.patientChart, r.serviceSlug, statusText(r))
    }
    return table.render()
}
