import ArgumentParser
import Models
import Storage

/// `clinic slots`: where a service still fits.
struct Slots: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slots", abstract: "List the next free starts for a service, with a free room.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Service slug, e.g. dn-30.", completion: Completions.services) var service: String
    @Option(name: .customLong("with"), help: "Only this practitioner (default: every qualified clinician of the discipline).", completion: Completions.practitioners) var practitioner: String?
    @Option(help: "First day to search, YYYY-MM-DD (default: today).") var from: String?
    @Option(help: "Last day to search, YYYY-MM-DD (inclusive); instead of --days.") var until: String?
    @Option(help: "Number of days to search (1–62).") var days: Int?
    @Option(help: "Most slots to list.") var limit = 10
    @Option(help: ArgumentHelp("Site to book at, by code (default: this database's site); times are that site's.", valueName: "code")) var site: String?

    func validate() throws {
        if until != nil, days != nil { throw ValidationError("give --until or --days, not both") }
        if let days { guard (1...62).contains(days) else { throw ValidationError("--days must be between 1 and 62") } }
        guard (1...500).contains(limit) else { throw ValidationError("--limit must be between 1 and 500") }
    }

    func run() throws {
        let session = try global.open()
        let zoneThere = try session.zone(site: site)
        let first = try from.map { try CivilDate.parse($0, field: .fromDate) } ?? zoneThere.local(session.now).date
        var days = self.days ?? 7
        if let until {
            let last = try CivilDate.parse(until, field: .until)
            days = last.daysSinceEpoch - first.daysSinceEpoch + 1
            guard (1...62).contains(days) else {
                throw ClinicError(.invalidRange, "--until must be on or after --from and at most 62 days after it")
            }
        }
        let slots = try session.acting.slots(serviceSlug: service, practitionerHandle: practitioner, from: first, days: days, limit: limit,
                                             siteCode: site)
        let times = try session.times()
        /// A free slot: UTC instants, and wall-clock times in the zone of its room's site.
        struct View: Encodable { let start: String, end: String, local_start: String, local_end: String, site: String, practitioner: String, room: String }
        func zone(_ slot: Scheduler.FreeSlot) -> (code: String, zone: SiteTimeZone, isHere: Bool) {
            let site = times.site(id: slot.siteID)
            return (site?.code ?? "?", site.map { times.zone(named: $0.timeZone) } ?? times.hereZone, slot.siteID == times.here.id)
        }
        let views = slots.map { slot in
            let at = zone(slot)
            return View(start: Instant.iso(slot.start), end: Instant.iso(slot.end), local_start: at.zone.format(slot.start),
                        local_end: at.zone.format(slot.end), site: at.code, practitioner: slot.practitionerHandle, room: slot.roomName)
        }
        try session.emit(["slots": views]) {
            guard !slots.isEmpty else { return "No free slot for \(service) in \(days) days from \(first)." }
            var table = TextTable("WHEN", "END", "WITH", "ROOM")
            for slot in slots {
                let at = zone(slot)
                table.add(at.zone.label(slot.start, site: at.code, isLocal: at.isHere, here: times.hereZone),
                          TimeOfDay.format(at.zone.local(slot.end).minuteOfDay), slot.practitionerHandle, slot.roomName)
            }
            return table.render()
        }
    }
}
