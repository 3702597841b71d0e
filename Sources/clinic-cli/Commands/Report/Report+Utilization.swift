import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct Utilization: RangeReport {
        static let configuration = CommandConfiguration(commandName: "utilization", 
            abstract: "Booked hours against working hours per practitioner, and against open hours per room.",
            discussion: "Booked = every appointment but cancelled ones (no-shows held the slot). A room's open hours are the union of all clinicians' working hours.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable { let name: String, booked_minutes: Int, available_minutes: Int, ratio: Double? }
        struct View: Encodable { let from: String, until: String, practitioners: [Row], rooms: [Row] }

        func report(_ session: Session, range: ReportRange) throws -> ReportOutput<View> {
            let zone = try session.zone()
            let data = try session.acting.schedulingReport(.reportUtilization, from: range.start, to: range.end)
            let appointments = data.appointments, availability = data.availability
            let practitioners = UtilizationReport.byPractitioner(availability, appointments: appointments, days: range.days, zone: zone)
            let rooms = UtilizationReport.byRoom(data.rooms, availability: availability, appointments: appointments, days: range.days, zone: zone)
            func rows(_ list: [UtilizationRow]) -> [Row] {
                list.map { Row(name: $0.name, booked_minutes: $0.bookedMinutes, available_minutes: $0.availableMinutes, ratio: $0.ratio) }
            }
            let csv = [["kind", "name", "booked_minutes", "available_minutes", "ratio"]] + [("practitioner", practitioners), ("room", rooms)].flatMap { kind, list in
                list.map { r in [kind, r.name, String(r.bookedMinutes), String(r.availableMinutes), CSVLine.number(r.ratio)] }
            }
            let view = View(from: range.from, until: range.until, practitioners: rows(practitioners), rooms: rows(rooms))
            return ReportOutput(view: view, csv: csv) {
                func chart(_ list: [UtilizationRow]) -> String {
                    BarChart.render(list.map { r in
                        (r.name, r.ratio ?? 0, "\(BarChart.percent(r.ratio))  \(Self.hours(r.bookedMinutes)) / \(Self.hours(r.availableMinutes))")
                    }, scale: max(1, list.compactMap(\.ratio).max() ?? 1))
                }
                return [range.heading("Utilization"), "", "Practitioners (booked / working hours)", chart(practitioners),
                        "", "Rooms (booked / open hours)", chart(rooms)].joined(separator: "\n")
            }
        }

        static func hours(_ minutes: Int) -> String { minutes == 0 ? "0h" : DurationText.format(minutes: minutes) }
    }
}
