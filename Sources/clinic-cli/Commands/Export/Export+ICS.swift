import ArgumentParser
import Foundation
import Models
import Storage

extension ExportCommand {
    /// `clinic export ics`: a practitioner's or a room's calendar.
    struct ICS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ics",
            abstract: "Write an iCalendar (RFC 5545) file of a practitioner's or a room's appointments.",
            discussion: """
            Events carry the chart number and the service only, never names or clinical details. A recurring series is one \
            event with an RRULE; cancelled occurrences are EXDATEs and moved ones RECURRENCE-ID overrides. A series that \
            touches the range is exported whole. UIDs are appointment (or series) ids; SEQUENCE rises with every change.
            """)
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("with"), help: ArgumentHelp("Practitioner whose calendar to export.", valueName: "handle"), completion: Completions.practitioners) var practitioner: String?
        @Option(help: "Room whose calendar to export.", completion: Completions.rooms) var room: String?
        @Option(help: "First day, YYYY-MM-DD (default: everything).") var from: String?
        @Option(help: "Last day, inclusive, YYYY-MM-DD (default: everything).") var until: String?
        @OptionGroup var destination: DestinationOptions

        func validate() throws {
            guard (practitioner == nil) != (room == nil) else { throw ValidationError("give exactly one of --with HANDLE or --room ROOM") }
        }

        func run() throws {
            let firstDay = try from.map { try CivilDate.parse($0, field: .fromDate) }
            let lastDay = try until.map { try CivilDate.parse($0, field: .until) }
            if let firstDay, let lastDay, lastDay < firstDay {
                throw ClinicError(.invalidRange, "--until must not be before --from")
            }
            let session = try global.open()
            let file = try ExportFile(destination.target, protecting: session.db)
            let zone = try session.zone()
            let site = try SiteRepository(session.db).local()
            let owner: CalendarFeed.Owner = practitioner.map { .practitioner($0) } ?? .room(room ?? "")
            let start = firstDay.map { zone.startOfDay($0) } ?? Int64.min / 2
            let end = lastDay.map { zone.startOfDay($0.adding(days: 1)) } ?? Int64.max / 2
            let appointments = try session.acting.calendar(for: owner, from: start, to: end)
            let name = "\(site.code) · " + (practitioner ?? room ?? "")
            let text = ICalendarExport(zone: zone, siteName: site.name, calendarName: name).render(appointments)
            try file.write(text)
            try file.commit()
            let events = text.components(separatedBy: "BEGIN:VEVENT").count - 1
            let selected = appointments.filter(\.selected).count
            struct View: Encodable { let file: String, events: Int, appointments: Int }
            try session.emit(View(file: destination.to, events: events, appointments: selected), onStandardError: destination.isStandardOutput) {
                "Wrote \(events) calendar events (\(selected) appointments) to \(destination.name)"
            }
        }
    }
}
