import Models
import Storage

/// An appointment as `--json` prints it (docs/CLI.md: id, start, end, practitioner, room, patient, status).
struct AppointmentView: Encodable {
    let id: String
    let start: String
    let end: String
    let practitioner: String
    let room: String
    let patient: String
    let service: String
    let status: String
    let late_cancel: Bool
    let series: String?
    let local_start: String
    /// Cancelled because a conflict resolution kept another booking (marked where the command looks: `schedule`).
    let cancelled_by_resolution: Bool

    init(_ record: AppointmentRecord, zone: SiteTimeZone) {
        id = record.id
        start = Instant.iso(record.appointment.span.start)
        end = Instant.iso(record.appointment.span.end)
        practitioner = record.practitionerHandle
        room = record.roomName
        patient = record.patientChart
        service = record.serviceSlug
        status = record.appointment.status.rawValue
        late_cancel = record.appointment.lateCancel
        series = record.appointment.seriesID
        local_start = zone.format(record.appointment.span.start)
        cancelled_by_resolution = record.cancelledByResolution
    }
}

/// `{"appointments": [...]}`, the shape every scheduling command prints.
struct AppointmentList: Encodable {
    let appointments: [AppointmentView]

    init(_ records: [AppointmentRecord], zone: SiteTimeZone) {
        appointments = records.map { AppointmentView($0, zone: zone) }
    }
}

/// A plain table of appointments in the site's zone.
func appointmentTable(_ records: [AppointmentRecord], zone: SiteTimeZone) -> String {
    var table = TextTable("ID", "WHEN", "END", "WITH", "ROOM", "PATIENT", "SERVICE", "STATUS")
    for r in records {
        let status = r.appointment.status.rawValue + (r.appointment.lateCancel ? " (late)" : "") + (r.cancelledByResolution ? " (conflict)" : "")
        table.add(IDSuffix.short(r.id), zone.format(r.appointment.span.start), TimeOfDay.format(zone.local(r.appointment.span.end).minuteOfDay),
                  r.practitionerHandle, r.roomName, r.patientChart, r.serviceSlug, status)
    }
    return table.render()
}
