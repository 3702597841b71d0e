import ArgumentParser
import Models
import Storage

extension ServiceCommand {
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
}
