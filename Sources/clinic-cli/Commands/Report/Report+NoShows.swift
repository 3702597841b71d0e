import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct NoShows: RangeReport {
        static let configuration = CommandConfiguration(
            commandName: "noshows", abstract: "No-shows and late cancellations per practitioner.",
            discussion: "No-show rate = no-shows / appointments not cancelled. Late-cancel rate = cancellations with under 24 h notice / all appointments.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable {
            let name: String, appointments: Int, attended: Int, no_shows: Int, cancelled: Int, late_cancels: Int
            let no_show_rate: Double?, late_cancel_rate: Double?
        }
        struct View: Encodable { let from: String, until: String, practitioners: [Row] }

        func report(_ session: Session, range: ReportRange) throws -> ReportOutput<View> {
            let data = try session.acting.schedulingReport(.reportNoShows, from: range.start, to: range.end)
            let names = AttendanceReport.practitioners(clinicians: data.availability.map(\.practitioner), appointments: data.appointments)
            let rows = AttendanceReport.rows(data.appointments, practitioners: names)
            let views = rows.map {
                Row(name: $0.name, appointments: $0.appointments, attended: $0.attended, no_shows: $0.noShows, cancelled: $0.cancelled,
                    late_cancels: $0.lateCancels, no_show_rate: $0.noShowRate, late_cancel_rate: $0.lateCancelRate)
            }
            let csv = [["name", "appointments", "attended", "no_shows", "cancelled", "late_cancels", "no_show_rate", "late_cancel_rate"]] + rows.map { r in
                [r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled),
                 String(r.lateCancels), CSVLine.number(r.noShowRate), CSVLine.number(r.lateCancelRate)]
            }
            return ReportOutput(view: View(from: range.from, until: range.until, practitioners: views), csv: csv) {
                var table = TextTable("PRACTITIONER", "APPTS", "ATTENDED", "NO-SHOWS", "CANCELLED", "LATE", "NO-SHOW RATE", "LATE RATE")
                for r in rows {
                    table.add(r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled), String(r.lateCancels),
                              BarChart.percent(r.noShowRate), BarChart.percent(r.lateCancelRate))
                }
                let people = rows.dropLast()  // the last row is the clinic's total
                return [range.heading("No-shows and late cancellations"), "", table.render(), "", "No-shows",
                        BarChart.render(people.map { ($0.name, Double($0.noShows), "\($0.noShows) (\(BarChart.percent($0.noShowRate)))") }),
                        "", "Late cancellations",
                        BarChart.render(people.map { ($0.name, Double($0.lateCancels), "\($0.lateCancels) (\(BarChart.percent($0.lateCancelRate)))") })]
                    .joined(separator: "\n")
            }
        }
    }
}
