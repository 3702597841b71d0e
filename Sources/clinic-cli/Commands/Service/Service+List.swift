import ArgumentParser
import Models
import Storage

extension ServiceCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List services.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try global.open()
            let services = try session.acting.services()
            try session.emit(["services": services.map(ServiceView.init)]) {
                var table = TextTable("SLUG", "NAME", "DURATION", "DISCIPLINE", "REQUIRES")
                for s in services {
                    table.add(s.slug, s.name, DurationText.format(minutes: s.durationMinutes), s.discipline.rawValue, s.requires?.rawValue ?? "—")
                }
                return table.render()
            }
        }
    }
}
