import ArgumentParser
import Models

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

        /// --csv and --json are two output formats; a report prints one.
        func checkFormat(json: Bool) throws {
            if csv, json { throw ValidationError("give at most one of --csv and --json") }
        }

        /// The local days of the range and its bounds as instants.
        func range(_ session: Session) throws -> ReportRange {
            let zone = try session.zone()
            let today = try session.today()
            let first = try from.map { try CivilDate.parse($0, field: .fromDate) }
            let last = try until.map { try CivilDate.parse($0, field: .until) }
            return try ReportRange(from: first, until: last, today: today, zone: zone)
        }
    }
}

/// What every report does alike, written once: the range and format options, the database opened as the
/// actor, and CSV, JSON or text printed. A report says only what it reads (through a use case that checks
/// the permission and audits) and how it shows it.
protocol RangeReport: ParsableCommand {
    associatedtype View: Encodable
    var global: GlobalOptions { get }
    var options: ReportCommand.Options { get }

    /// The report over `range` in its three forms.
    func report(_ session: Session, range: ReportRange) throws -> ReportOutput<View>
}

/// One report as `--json`, `--csv` and the terminal show it.
struct ReportOutput<View: Encodable> {
    let view: View
    /// The header row first.
    let csv: [[String]]
    let text: () -> String
}

extension RangeReport {
    func validate() throws { try options.checkFormat(json: global.json) }

    func run() throws {
        let session = try global.open()
        let output = try report(session, range: try options.range(session))
        if options.csv {
            for row in output.csv { print(CSVLine.make(row)) }
            return
        }
        try session.emit(output.view, human: output.text)
    }
}

extension ReportRange {
    /// The title line of a report's text.
    func heading(_ title: String) -> String { "\(title) · \(from) – \(until)" }
}
