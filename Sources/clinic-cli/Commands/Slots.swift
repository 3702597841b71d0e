import ArgumentParser
import Models
import Storage

/// `clinic slots`: where a service still fits.
struct Slots: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slots", abstract: "List the next free starts for a service, with a free room.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Service slug, e.g. dn-30.") var service: String
    @Option(name: .customLong("with"), help: "Only this practitioner (default: every qualified clinician of the discipline).") var practitioner: String?
    @Option(help: "First day to search, YYYY-MM-DD (default: today).") var from: String?
    @Option(help: "Number of days to search (1–62).") var days = 7
    @Option(help: "Most slots to list.") var limit = 10

    func validate() throws {
        guard (1...62).contains(days) else { throw ValidationError("--days must be between 1 and 62") }
        guard (1...500).contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
    }

    func run() throws {
        let session = try global.open()
        let zone = try session.zone()
        let first = try from.map { try CivilDate.parse($0, field: .fromDate) } ?? session.today()
        let slots = try session.acting.slots(serviceSlug: service, practitionerHandle: practitioner, from: first, days: days, limit: limit)
        struct View: Encodable { let start: String, end: String, local_start: String, practitioner: String, room: String }
        let views = slots.map { View(start: Instant.iso($0.start), end: Instant.iso($0.end), local_start: zone.format($0.start),
                                     practitioner: $0.practitionerHandle, room: $0.roomName) }
        try session.emit(["slots": views]) {
            guard !slots.isEmpty else { return "No free slot for \(service) in \(days) days from \(first)." }
            var table = TextTable("WHEN", "END", "WITH", "ROOM")
            for s in slots {
                table.add(zone.format(s.start), TimeOfDay.format(zone.local(s.end).minuteOfDay), s.practitionerHandle, s.roomName)
            }
            return table.render()
        }
    }
}
