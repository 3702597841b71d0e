import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct Utilization: RangeReport {
        static let configuration = CommandConfiguration(commandName: "utilization", 
            abstract: "Booked hours against working hours per practitioner, and against open hours per room.",
            discussion: "Booked = every appointment but cancelled ones (no-shows held the slot). A room's open hours are the union of all clinicians' working hours at its site.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable { let site: String, name: String, booked_minutes: Int, available_minutes: Int, ratio: Double? }
        struct View: Encodable { let from: String, until: String, sites: [String], practitioners: [Row], rooms: [Row] }

        func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View> {
            let inputs = try session.acting.schedulingReport(.reportUtilization, sites: sites, from: from, until: until)
            let label = ReportSitesLabel(inputs.map(\.place), all: sites == .all)
            var practitioners: [(site: String, row: UtilizationRow)] = [], rooms: [(site: String, row: UtilizationRow)] = []
            for input in inputs {
                let place = input.place, code = place.site.code
                practitioners += UtilizationReport.byPractitioner(input.availability, appointments: input.appointments,
                                                                  days: place.range.days, zone: place.zone).map { (code, $0) }
                rooms += UtilizationReport.byRoom(input.rooms, availability: input.availability, appointments: input.appointments,
                                                  days: place.range.days, zone: place.zone).map { (code, $0) }
            }
            func rows(_ list: [(site: String, row: UtilizationRow)]) -> [Row] {
                list.map { Row(site: $0.site, name: $0.row.name, booked_minutes: $0.row.bookedMinutes, available_minutes: $0.row.availableMinutes,
                               ratio: $0.row.ratio) }
            }
            let csv = [label.csv("site", ["kind", "name", "booked_minutes", "available_minutes", "ratio"])]
                + [("practitioner", practitioners), ("room", rooms)].flatMap { kind, list in
                    list.map { label.csv($0.site, [kind, $0.row.name, String($0.row.bookedMinutes), String($0.row.availableMinutes),
                                                   CSVLine.number($0.row.ratio)]) }
                }
            let view = View(from: label.from, until: label.until, sites: label.codes, practitioners: rows(practitioners), rooms: rows(rooms))
            return ReportOutput(view: view, csv: csv) {
                func chart(_ list: [(site: String, row: UtilizationRow)]) -> String {
                    BarChart.render(list.map { site, r in
                        (label.label(site, r.name), r.ratio ?? 0, "\(BarChart.percent(r.ratio))  \(Self.hours(r.bookedMinutes)) / \(Self.hours(r.availableMinutes))")
                    }, scale: max(1, list.compactMap(\.row.ratio).max() ?? 1))
                }
                return [label.heading("Utilization"), "", "Practitioners (booked / working hours)", chart(practitioners),
                        "", "Rooms (booked / open hours)", chart(rooms)].joined(separator: "\n")
            }
        }

        static func hours(_ minutes: Int) -> String { minutes == 0 ? "0h" : DurationText.format(minutes: minutes) }
    }
}
