import ArgumentParser
import Models
import Storage

extension SiteCommand {
    /// `clinic site closed`: a holiday; nothing is booked at the site that day.
    struct Closed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "closed", abstract: "Close the site on a day (a holiday), so nothing is booked there; --remove opens it again (admin).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The day, YYYY-MM-DD, in the site's zone.") var date: String
        @Option(help: "Why it is closed, shown on the schedule, e.g. Christmas.") var reason: String?
        @Option(help: ArgumentHelp("Site to close, by code (default: this database's site).", valueName: "code")) var site: String?
        @Flag(help: "Open the site again that day (it must be closed).") var remove = false

        func validate() throws {
            if remove, reason != nil { throw ValidationError("--reason cannot be given with --remove") }
        }

        func run() throws {
            let session = try global.open()
            let day = try CivilDate.parse(date, field: .date)
            let result = try session.acting.setClosed(on: day, reason: reason, siteCode: site, reopening: remove)
            struct View: Encodable { let site: String, date: String, closed: Bool, reason: String? }
            try session.emit(View(site: result.site.code, date: day.description, closed: !remove, reason: result.closure?.reason)) {
                guard let closure = result.closure else { return "\(result.site.code) is open again on \(day)" }
                return "\(result.site.code) is closed on " + ClosureView(closure).text
            }
        }
    }
}
