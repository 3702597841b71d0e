import Models

/// Reports and calendars as the acting staff member (the desk's; clinical reports are in `ReportData`).
extension AuditedSession {
    /// What the utilization and no-show reports count at each of `sites` over `from`…`until` (see
    /// `ReportData.places`); the report names the action. An unknown site code is `not-found`.
    public func schedulingReport(_ report: Action, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> [ReportData.Inputs] {
        guard report == .reportUtilization || report == .reportNoShows else {
            throw ClinicError(.invalidReport, "\(report.rawValue) is not a scheduling report")
        }
        return try run(report, entity: "report") { db, _, _ in
            let data = ReportData(db)
            return try data.places(sites, from: from, until: until, now: now).map { place in
                let appointments = try data.appointments(at: place)
                return ReportData.Inputs(place: place, appointments: appointments,
                                         availability: try data.availability(at: place, appointments: appointments),
                                         rooms: try data.rooms(at: place))
            }
        }
    }

    /// A practitioner's or a room's appointments for a calendar export (audited: it leaves the clinic).
    public func calendar(for owner: CalendarFeed.Owner, from: Int64, to: Int64) throws -> [CalendarAppointment] {
        try run(.calendarExport, entity: "calendar") { db, _, _ in try CalendarFeed(db).appointments(for: owner, from: from, to: to) }
    }
}

extension ReportData {
    /// The rows a scheduling report is computed from, at one site.
    public struct Inputs: Sendable {
        public var place: Place
        public var appointments: [ReportAppointment]
        public var availability: [ReportAvailability]
        public var rooms: [String]
    }
}
