/// No-shows and cancellations of one practitioner (or of the whole clinic).
public struct AttendanceRow: Sendable, Equatable {
    public var name: String
    /// Every appointment in the range, whatever became of it.
    public var appointments: Int
    public var attended: Int
    public var noShows: Int
    public var cancelled: Int
    public var lateCancels: Int
    /// No-shows among the appointments that were still due (not cancelled).
    public var noShowRate: Double?
    /// Late cancels among all appointments: the slots lost too late to rebook.
    public var lateCancelRate: Double?

    public init(name: String, appointments: Int, attended: Int, noShows: Int, cancelled: Int, lateCancels: Int,
                noShowRate: Double?, lateCancelRate: Double?) {
        self.name = name
        self.appointments = appointments
        self.attended = attended
        self.noShows = noShows
        self.cancelled = cancelled
        self.lateCancels = lateCancels
        self.noShowRate = noShowRate
        self.lateCancelRate = lateCancelRate
    }
}

/// The no-show report: who does not come, and who cancels too late to rebook the slot.
public enum AttendanceReport {
    /// One row per practitioner in `names` order, then a "total" row.
    public static func rows(_ appointments: [ReportAppointment], practitioners names: [String]) -> [AttendanceRow] {
        names.map { name in row(name, appointments.filter { $0.practitioner == name }) } + [row("total", appointments)]
    }

    /// Who the report lists: every clinician with hours in `clinicians` order, then anyone else who had
    /// appointments in the range (a practitioner since deactivated, another site's), by handle.
    public static func practitioners(clinicians: [String], appointments: [ReportAppointment]) -> [String] {
        clinicians + Set(appointments.map(\.practitioner)).subtracting(clinicians).sorted()
    }

    static func row(_ name: String, _ list: [ReportAppointment]) -> AttendanceRow {
        let noShows = list.filter { $0.status == .noShow }.count
        let cancelled = list.filter { $0.status == .cancelled }.count
        let late = list.filter { $0.status == .cancelled && $0.lateCancel }.count
        let attended = list.filter { $0.status == .completed || $0.status == .checkedIn }.count
        return AttendanceRow(name: name, appointments: list.count, attended: attended, noShows: noShows, cancelled: cancelled,
                             lateCancels: late, noShowRate: ratio(Double(noShows), Double(list.count - cancelled)),
                             lateCancelRate: ratio(Double(late), Double(list.count)))
    }
}
