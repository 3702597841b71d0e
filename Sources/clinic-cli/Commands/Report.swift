import ArgumentParser
import Foundation
import Models
import Storage

/// The local days a report covers and their bounds as instants.
struct ReportRange {
    let days: [CivilDate]
    let start: Int64
    let end: Int64

    var from: String { days.first?.description ?? "" }
    var until: String { days.last?.description ?? "" }

    func heading(_ title: String) -> String { "\(title) · \(from) – \(until)" }
}

/// `clinic report`: the numbers a clinic owner looks at each week, with bar charts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Utilization, no-shows, modalities and pain outcomes over a range of days, with bar charts.",
        subcommands: [Utilization.self, NoShows.self, Modalities.self, Outcomes.self])

    /// The range and format every report takes.
    struct Options: ParsableArguments {
        @Option(help: "First day, YYYY-MM-DD (default: Monday of the current week).") var from: String?
        @Option(help: "Last day, inclusive, YYYY-MM-DD (default: six days after --from).") var until: String?
        @Flag(help: "Print CSV (one header row) instead of a table.") var csv = false

        /// The local days of the range and its bounds as instants.
        /// --csv and --json are two output formats; a report prints one.
        func checkFormat(json: Bool) throws {
            if csv, json { throw ValidationError("give at most one of --csv and --json") }
        }

        func range(_ session: Session) throws -> ReportRange {
            let zone = try session.zone()
            let today = try session.today()
            let first = try from.map { try CivilDate.parse($0, field: .fromDate) } ?? today.adding(days: 1 - today.weekday)
            let last = try until.map { try CivilDate.parse($0, field: .until) } ?? first.adding(days: 6)
            guard last >= first else { throw ClinicError(.invalidRange, "--until must not be before --from") }
            guard last.daysSinceEpoch - first.daysSinceEpoch < 366 else {
                throw ClinicError(.outOfRange, "a report covers at most 366 days")
            }
            let days = (0...(last.daysSinceEpoch - first.daysSinceEpoch)).map { first.adding(days: $0) }
            return ReportRange(days: days, start: zone.startOfDay(first), end: zone.startOfDay(last.adding(days: 1)))
        }
    }

    struct Utilization: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "utilization", 
            abstract: "Booked hours against working hours per practitioner, and against open hours per room.",
            discussion: "Booked = every appointment but cancelled ones (no-shows held the slot). A room's open hours are the union of all clinicians' working hours.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: Options

        func validate() throws { try options.checkFormat(json: global.json) }

        func run() throws {
            let session = try global.open()
            let range = try options.range(session)
            let zone = try session.zone()
            let data = try session.acting.schedulingReport(.reportUtilization, from: range.start, to: range.end)
            let appointments = data.appointments, availability = data.availability
            let practitioners = UtilizationReport.byPractitioner(availability, appointments: appointments, days: range.days, zone: zone)
            let rooms = UtilizationReport.byRoom(data.rooms, availability: availability, appointments: appointments, days: range.days, zone: zone)
            struct Row: Encodable { let name: String, booked_minutes: Int, available_minutes: Int, ratio: Double? }
            struct View: Encodable { let from: String, until: String, practitioners: [Row], rooms: [Row] }
            func rows(_ list: [UtilizationRow]) -> [Row] {
                list.map { Row(name: $0.name, booked_minutes: $0.bookedMinutes, available_minutes: $0.availableMinutes, ratio: $0.ratio) }
            }
            if options.csv {
                print("kind,name,booked_minutes,available_minutes,ratio")
                for (kind, list) in [("practitioner", practitioners), ("room", rooms)] {
                    for r in list { print(CSVLine.make([kind, r.name, String(r.bookedMinutes), String(r.availableMinutes), CSVLine.number(r.ratio)])) }
                }
                return
            }
            let view = View(from: range.from, until: range.until,
                            practitioners: rows(practitioners), rooms: rows(rooms))
            try session.emit(view) {
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

    struct NoShows: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "noshows", abstract: "No-shows and late cancellations per practitioner.",
            discussion: "No-show rate = no-shows / appointments not cancelled. Late-cancel rate = cancellations with under 24 h notice / all appointments.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: Options

        func validate() throws { try options.checkFormat(json: global.json) }

        func run() throws {
            let session = try global.open()
            let range = try options.range(session)
            let data = try session.acting.schedulingReport(.reportNoShows, from: range.start, to: range.end)
            let appointments = data.appointments
            let names = data.availability.map(\.practitioner)
            let extra = Set(appointments.map(\.practitioner)).subtracting(names).sorted()
            let rows = AttendanceReport.rows(appointments, practitioners: names + extra)
            struct Row: Encodable {
                let name: String, appointments: Int, attended: Int, no_shows: Int, cancelled: Int, late_cancels: Int
                let no_show_rate: Double?, late_cancel_rate: Double?
            }
            let views = rows.map {
                Row(name: $0.name, appointments: $0.appointments, attended: $0.attended, no_shows: $0.noShows, cancelled: $0.cancelled,
                    late_cancels: $0.lateCancels, no_show_rate: $0.noShowRate, late_cancel_rate: $0.lateCancelRate)
            }
            if options.csv {
                print("name,appointments,attended,no_shows,cancelled,late_cancels,no_show_rate,late_cancel_rate")
                for r in rows {
                    print(CSVLine.make([r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled),
                                        String(r.lateCancels), CSVLine.number(r.noShowRate), CSVLine.number(r.lateCancelRate)]))
                }
                return
            }
            struct View: Encodable { let from: String, until: String, practitioners: [Row] }
            try session.emit(View(from: range.from, until: range.until, practitioners: views)) {
                var table = TextTable("PRACTITIONER", "APPTS", "ATTENDED", "NO-SHOWS", "CANCELLED", "LATE", "NO-SHOW RATE", "LATE RATE")
                for r in rows {
                    table.add(r.name, String(r.appointments), String(r.attended), String(r.noShows), String(r.cancelled), String(r.lateCancels),
                              BarChart.percent(r.noShowRate), BarChart.percent(r.lateCancelRate))
                }
                let people = rows.filter { $0.name != "total" }
                return [range.heading("No-shows and late cancellations"), "", table.render(), "", "No-shows",
                        BarChart.render(people.map { ($0.name, Double($0.noShows), "\($0.noShows) (\(BarChart.percent($0.noShowRate)))") }),
                        "", "Late cancellations",
                        BarChart.render(people.map { ($0.name, Double($0.lateCancels), "\($0.lateCancels) (\(BarChart.percent($0.lateCancelRate)))") })]
                    .joined(separator: "\n")
            }
        }

    }
}

/// One CSV output line: fields quoted when they hold a comma, quote or line break.
enum CSVLine {
    static func make(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }

    /// A ratio with four decimals, empty when undefined.
    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }
}
