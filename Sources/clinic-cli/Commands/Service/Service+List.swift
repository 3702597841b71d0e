import ArgumentParser
import Models
import Storage

extension ServiceCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the network's services and the sites that offer each.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try global.open()
            let services = try session.acting.services()
            try session.emit(["services": services.map { ServiceView($0.service, sites: $0.sites) }]) {
                var table = TextTable("SLUG", "NAME", "DURATION", "DISCIPLINE", "REQUIRES", "OFFERED AT")
                for (s, sites) in services {
                    table.add(s.slug, s.name, DurationText.format(minutes: s.durationMinutes), s.discipline.rawValue, s.requires?.rawValue ?? "—",
                              sites.isEmpty ? "—" : sites.joined(separator: ", "))
                }
                return table.render()
            }
        }
    }
}
