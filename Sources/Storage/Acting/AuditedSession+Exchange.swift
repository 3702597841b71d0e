import Models

/// Reports and calendars as the acting staff member (the desk's; clinical reports are in `ReportData`).
extension AuditedSession {
    /// What the utilization and no-show reports count, for `[from, to)`; the report names the action.
    public func schedulingReport(_ report: Action, from: Int64, to: Int64) throws -> ReportData.Inputs {
        guard report == .reportUtilization || report == .reportNoShows else {
            throw ClinicError(.invalidReport, "\(report.rawValue) is not a scheduling report")
        }
        return try run(report, entity: "report") { db, _, _ in
            let data = ReportData(db)
            return ReportData.Inputs(appointments: try data.appointments(from: from, to: to), availability: try data.availability(from: from, to: to),
                                     rooms: try data.rooms())
        }
    }

    /// A practitioner's or a room's appointments for a calendar export (audited: it leaves the clinic).
    public func calendar(for owner: CalendarFeed.Owner, from: Int64, to: Int64) throws -> [CalendarAppointment] {
        try run(.calendarExport, entity: "calendar") { db, _, _ in try CalendarFeed(db).appointments(for: owner, from: from, to: to) }
    }
}

extension ReportData {
    /// The rows a scheduling report is computed from.
    public struct Inputs: Sendable {
        public var appointments: [ReportAppointment]
        public var availability: [ReportAvailability]
        public var rooms: [String]
    }
}
