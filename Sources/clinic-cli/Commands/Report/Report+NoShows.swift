import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct NoShows: RangeReport {
        static let configuration = CommandConfiguration(
            commandName: "noshows", abstract: "No-shows and late cancellations per practitioner.",
            discussion: "No-show rate = no-shows / appointments not cancelled. Late-cancel rate = cancellations with under 24 h notice / all appointments. Each site ends with its own 'total' row.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable {
            let site: String, name: String, appointments: Int, attended: Int, no_shows: Int, cancelled: Int, late_cancels: Int
            let no_show_rate: Double?, late_cancel_rate: Double?
        }
        struct View: Encodable { let from: String, until: String, sites: [String], practitioners: [Row] }

        func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View> {
            let inputs = try session.acting.schedulingReport(.reportNoShows, sites: sites, from: from, until: until)
            let label = ReportSitesLabel(inputs.map(\.place), all: sites == .all)
            var rows: [(site: String, row: AttendanceRow, isTotal: Bool)] = []
            for input in inputs {
                let names = AttendanceReport.practitioners(clinicians: input.availability.map(\.practitioner), appointments: input.appointments)
                let siteRows = AttendanceReport.rows(input.appointments, practitioners: names)
                rows += siteRows.enumerated().map { (input.place.site.code, $1, $0 == siteRows.count - 1) }  // the last row is the site's total
            }
            let views = rows.map { site, r, _ in
                Row(site: site, name: r.name, appointments: r.appointments, attended: r.attended, no_shows: r.noShows, cancelled: r.cancelled,
                    late_cancels: r.lateCancels, no_show_rate: r.noShowRate, late_cancel_rate: r.lateCancelRate)
            }
            let csv = [label.csv("site", ["name", "appointments", "attended", "no_shows", "cancelled", "late_cancels", "no_show_rate",
                                          "late_cancel_rate"])] + rows.map { site, r, _ in
                label.csv(site, [r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled),
                                 String(r.lateCancels), CSVLine.number(r.noShowRate), CSVLine.number(r.lateCancelRate)])
            }
            return ReportOutput(view: View(from: label.from, until: label.until, sites: label.codes, practitioners: views), csv: csv) {
                var table = label.all ? TextTable("SITE", "PRACTITIONER", "APPTS", "ATTENDED", "NO-SHOWS", "CANCELLED", "LATE", "NO-SHOW RATE", "LATE RATE")
                                      : TextTable("PRACTITIONER", "APPTS", "ATTENDED", "NO-SHOWS", "CANCELLED", "LATE", "NO-SHOW RATE", "LATE RATE")
                for (site, r, _) in rows {
                    table.add(row: label.csv(site, [r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled),
                                                    String(r.lateCancels), BarChart.percent(r.noShowRate), BarChart.percent(r.lateCancelRate)]))
                }
                let people = rows.filter { !$0.isTotal }
                return [label.heading("No-shows and late cancellations"), "", table.render(), "", "No-shows",
                        BarChart.render(people.map { (label.label($0.site, $0.row.name), Double($0.row.noShows),
                                                      "\($0.row.noShows) (\(BarChart.percent($0.row.noShowRate)))") }),
                        "", "Late cancellations",
                        BarChart.render(people.map { (label.label($0.site, $0.row.name), Double($0.row.lateCancels),
                                                      "\($0.row.lateCancels) (\(BarChart.percent($0.row.lateCancelRate)))") })]
                    .joined(separator: "\n")
            }
        }
    }
}
