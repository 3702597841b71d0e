import ArgumentParser
import Models
import Storage

/// `clinic schedule`: one site's day or week at a glance, in that site's zone.
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule",
        abstract: "Print a site's day (or week) as a grid: a column per practitioner or room, a row per 15 minutes; double bookings side by side.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Day to show, YYYY-MM-DD (default: today at the site).") var date: String?
    @Option(help: "Show the week (Monday to Sunday) containing this date.") var week: String?
    @Option(name: .customLong("with"), help: "Only this practitioner (the footer counts their bookings at other sites).", completion: Completions.practitioners) var practitioner: String?
    @Option(help: "Only this room of the site; columns become rooms.", completion: Completions.rooms) var room: String?
    @Option(help: "Site code (default: this database's site): its rooms and appointments, its days in its zone.") var site: String?
    @Flag(help: "Columns per room instead of per practitioner.") var byRoom = false
    @Flag(help: "Print CSV (a header row, then one appointment a line) instead of the grid.") var csv = false

    func validate() throws {
        if date != nil, week != nil { throw ValidationError("give either --date or --week, not both") }
        if csv, global.json { throw ValidationError("give at most one of --csv and --json") }
    }

    /// The schedule as `--json` prints it: the site, its appointments (each flagged `overlap`), and the
    /// other sites' bookings that matter here (the same practitioners', the other half of a double booking).
    struct View: Encodable {
        let site: String
        let appointments: [AppointmentView]
        let elsewhere: [AppointmentView]
        /// The days shown on which the site is closed.
        let closures: [ClosureView]
    }

    func run() throws {
        let session = try global.open()
        let days: ScheduleDays
        if let week {
            days = .week(containing: try CivilDate.parse(week, field: .week))
        } else if let date {
            days = .day(try CivilDate.parse(date, field: .date))
        } else {
            days = .today
        }
        let schedule = try session.acting.schedule(days, siteCode: site, practitionerHandle: practitioner, roomName: room)
        let times = try session.times()
        let overlapping = Set(schedule.doubleBookings.flatMap { [$0.first, $0.second] })
        if csv {
            print(CSVLine.make(["id", "site", "local_start", "local_end", "start", "end", "practitioner", "room", "patient", "service", "status",
                                "late_cancel", "overlap"]))
            for view in schedule.appointments.map({ AppointmentView($0, times: times, overlap: overlapping.contains($0.id)) }) {
                print(CSVLine.make([view.id, view.site, view.local_start, view.local_end, view.start, view.end, view.practitioner, view.room,
                                    view.patient, view.service, view.status, String(view.late_cancel), String(view.overlap ?? false)]))
            }
            return
        }
        let view = View(site: schedule.site.code,
                        appointments: schedule.appointments.map { AppointmentView($0, times: times, overlap: overlapping.contains($0.id)) },
                        elsewhere: schedule.elsewhere.map { AppointmentView($0, times: times, overlap: overlapping.contains($0.id)) },
                        closures: schedule.closures.map(ClosureView.init))
        let closedDays = Dictionary(schedule.closures.map { ($0.date, $0) }, uniquingKeysWith: { first, _ in first })
        try session.emit(view, paging: week == nil ? .tallerThanTerminal : .always) {
            let width = TerminalWidth.current()
            var sections: [String] = []
            for day in schedule.days {
                let grid = ScheduleGrid(date: day, schedule: schedule, times: times, byRoom: byRoom || room != nil, practitioner: practitioner,
                                        width: width)
                if let closure = closedDays[day] {
                    let line = "\(schedule.site.code) is closed on \(day)" + (closure.reason.map { " (\($0))" } ?? "") + "."
                    sections.append(grid.hasAnything ? line + "\n" + grid.render() : line)
                    continue
                }
                if schedule.days.count > 1, !grid.hasAnything { continue }
                sections.append(grid.render())
            }
            if sections.isEmpty, let first = schedule.days.first, let last = schedule.days.last {
                return "No appointments at \(schedule.site.code) from \(first) to \(last)."
            }
            return sections.joined(separator: "\n\n")
        }
    }
}
