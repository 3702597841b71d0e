import ArgumentParser
import Models
import Storage

/// `clinic report`: the numbers a clinic owner looks at each week, with bar charts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Utilization, no-shows, modalities and pain outcomes over a range of days, with bar charts.",
        discussion: "A report covers this database's site unless --site CODE names another or --all-sites asks for every site; an appointment belongs to its room's site.",
        subcommands: [Utilization.self, NoShows.self, Modalities.self, Outcomes.self])

    /// The range, the sites and the format every report takes.
    struct Options: ParsableArguments {
        @Option(help: "First day, YYYY-MM-DD (default: Monday of the current week).") var from: String?
        @Option(help: "Last day, inclusive, YYYY-MM-DD (default: six days after --from).") var until: String?
        @Option(help: ArgumentHelp("Another site's report, by its code (default: this database's site). Its days are in that site's zone.",
                                   valueName: "code"))
        var site: String?
        @Flag(help: "Every site, each counted apart in its own zone, with a SITE column (and 'site' in JSON rows).")
        var allSites = false
        @Flag(help: "Print CSV (one header row) instead of a table.") var csv = false

        /// --csv and --json are two output formats; a report prints one. One site or all, not both.
        func check(json: Bool) throws {
            if csv, json { throw ValidationError("give at most one of --csv and --json") }
            if site != nil, allSites { throw ValidationError("give at most one of --site and --all-sites") }
        }

        var sites: ReportSites { ReportSites(code: site, all: allSites) }

        /// The first and last day given, if they were.
        func days() throws -> (from: CivilDate?, until: CivilDate?) {
            (try from.map { try CivilDate.parse($0, field: .fromDate) }, try until.map { try CivilDate.parse($0, field: .until) })
        }
    }
}

/// What every report does alike, written once: the range, site and format options, the database opened as
/// the actor, and CSV, JSON or text printed. A report says only what it reads (through a use case that checks
/// the permission and audits) and how it shows it.
protocol RangeReport: ParsableCommand {
    associatedtype View: Encodable
    var global: GlobalOptions { get }
    var options: ReportCommand.Options { get }

    /// The report over the days and sites asked for, in its three forms.
    func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View>
}

/// One report as `--json`, `--csv` and the terminal show it.
struct ReportOutput<View: Encodable> {
    let view: View
    /// The header row first.
    let csv: [[String]]
    let text: () -> String
}

extension RangeReport {
    func validate() throws { try options.check(json: global.json) }

    func run() throws {
        let days = try options.days()
        let session = try global.open()
        let output = try report(session, sites: options.sites, from: days.from, until: days.until)
        if options.csv {
            for row in output.csv { print(CSVLine.make(row)) }
            return
        }
        try session.emit(output.view, human: output.text)
    }
}

/// How a report over one site or all of them labels itself and its rows: with `--all-sites` each row
/// carries its site's code (a SITE column in CSV, a prefix on a bar's label), so two sites' rooms of one
/// name stay apart; one site's report names the site in its title.
struct ReportSitesLabel {
    let codes: [String]
    let all: Bool
    let from: String
    let until: String

    init(_ places: [ReportData.Place], all: Bool) {
        codes = places.map(\.site.code)
        self.all = all
        from = places.first?.range.from ?? ""
        until = places.first?.range.until ?? ""
    }

    /// The title line of a report's text.
    func heading(_ title: String) -> String {
        "\(title) · \(all ? "all sites" : codes.joined()) · \(from) – \(until)"
    }

    /// A bar's or a table's label: the site's code before the name, padded, when the report spans sites.
    func label(_ site: String, _ name: String) -> String {
        all ? site.padding(toLength: max(codes.map(\.count).max() ?? 0, 1), withPad: " ", startingAt: 0) + " " + name : name
    }

    /// A CSV header or row: with a leading `site` column when the report spans sites.
    func csv(_ site: String, _ cells: [String]) -> [String] { all ? [site] + cells : cells }
}
