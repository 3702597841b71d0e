import ArgumentParser
import Models
import Storage

/// `clinic schedule`: the day or the week at a glance, in the site's zone.
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", 
        abstract: "Print the day's (or week's) schedule as a grid: a column per practitioner or room, a row per 15 minutes.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Day to show, YYYY-MM-DD (default: today).") var date: String?
    @Option(help: "Show the week (Monday to Sunday) containing this date.") var week: String?
    @Option(name: .customLong("with"), help: "Only this practitioner.") var practitioner: String?
    @Option(help: "Only this room; columns become rooms.") var room: String?
    @Flag(help: "Columns per room instead of per practitioner.") var byRoom = false

    func validate() throws {
        if date != nil, week != nil { throw ValidationError("give either --date or --week, not both") }
    }

    func run() throws {
        let session = try global.open()
        let zone = try session.zone()
        let days: [CivilDate]
        if let week {
            days = try CivilDate.parse(week, field: .week).week
        } else {
            days = [try date.map { try CivilDate.parse($0, field: .date) } ?? session.today()]
        }
        guard let firstDay = days.first, let lastDay = days.last else { return }
        let records = try session.acting.schedule(from: zone.startOfDay(firstDay), to: zone.startOfDay(lastDay.adding(days: 1)),
                                                  practitionerHandle: practitioner, roomName: room)
        let columnsByRoom = byRoom || room != nil
        try session.emit(AppointmentList(records, zone: zone)) {
            var sections: [String] = []
            for day in days {
                let start = zone.startOfDay(day), end = zone.startOfDay(day.adding(days: 1))
                let todays = records.filter { $0.appointment.span.start >= start && $0.appointment.span.start < end }
                if days.count > 1, todays.isEmpty { continue }
                var columns: [String] = []
                for r in todays.filter({ $0.appointment.status.holdsSlot }) {
                    let name = columnsByRoom ? r.roomName : r.practitionerHandle
                    if !columns.contains(name) { columns.append(name) }
                }
                sections.append(ScheduleGrid(date: day, zone: zone, columns: columns.sorted(), records: todays, byRoom: columnsByRoom).render())
            }
            return sections.isEmpty ? "No appointments from \(firstDay) to \(lastDay)." : sections.joined(separator: "\n\n")
        }
    }
}
