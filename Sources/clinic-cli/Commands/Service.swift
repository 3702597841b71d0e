import ArgumentParser
import Models
import Storage

/// `clinic service`: what patients can book.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Add and list bookable services.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a service with its duration, discipline and required scope.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Service slug, e.g. dn-30.") var slug: String
        @Option(help: "Name shown to staff, e.g. \"Dry needling 30 min\".") var name: String
        @Option(help: "Length of one appointment: 30m, 1h, 1h30m.") var duration: String
        @Option(help: "Discipline that delivers the service.") var discipline: Discipline
        @Option(help: "Scope the practitioner must hold on the day (dry-needling, acupuncture, electro-stim, manipulation).")
        var requires: Scope?

        func run() throws {
            let minutes = try DurationText.minutes(duration)
            let session = try global.open()
            let service = try session.acting.addService(slug: slug, name: name, durationMinutes: minutes, discipline: discipline,
                                                        requires: requires)
            try session.emit(ServiceView(service)) {
                "Added service \(service.slug) — \(service.name), \(DurationText.format(minutes: minutes))"
            }
        }
    }

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

/// A service as JSON shows it.
struct ServiceView: Encodable {
    let slug: String, name: String, duration_minutes: Int, discipline: String, requires: String?

    init(_ service: Service) {
        slug = service.slug
        name = service.name
        duration_minutes = service.durationMinutes
        discipline = service.discipline.rawValue
        requires = service.requires?.rawValue
    }
}
