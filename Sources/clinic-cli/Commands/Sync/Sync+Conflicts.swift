import ArgumentParser
import Models
import Storage
import Sync

struct SyncConflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List conflicts LWW cannot fix, each with its sites, people, local times and the command that resolves it; resolve one (A = smaller (HLC, origin)).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Conflict id (or its first 8+ characters) to resolve.") var resolve: String?
    @Option(help: "Side to keep: A or B. Keeping one side of a double booking cancels the other while it is still booked.") var keep: String?
    @Flag(help: "Also list resolved conflicts.") var all = false

    func validate() throws {
        if (resolve == nil) != (keep == nil) { throw ValidationError("--resolve and --keep go together") }
        if let keep, keep != "A", keep != "B" { throw ValidationError("--keep must be A or B") }
    }

    func run() throws {
        let session = try global.open()
        let site = try SiteRepository(session.db).local()
        let times = ConflictTimes(hereCode: site.code, here: try SiteTimeZone(site.timeZone))
        if let resolve, let keep {
            let entry = try session.acting.resolveConflict(id: resolve, keep: keep)
            try session.emit(ConflictView(entry, times: times)) {
                "Resolved \(entry.id.prefix(12)) (\(entry.kind)): kept \(keep)" + (entry.effect.map { "; \($0)" } ?? "")
            }
            return
        }
        let entries = try session.acting.conflicts(includeResolved: all)
        let views = entries.map { ConflictView($0, times: times) }
        try session.emit(["conflicts": views]) {
            guard !views.isEmpty else { return "No conflicts." }
            return views.map(\.text).joined(separator: "\n\n")
        }
    }
}

/// Times as a person at this site reads them: a time at another site carries that site's code, and its
/// zone's abbreviation when the zones differ (`SiteTimeZone.label`).
struct ConflictTimes {
    let hereCode: String
    let here: SiteTimeZone

    func zone(_ identifier: String?) -> SiteTimeZone { (try? identifier.map(SiteTimeZone.init)) ?? nil ?? here }

    func label(_ millis: Int64, site: String?, zone identifier: String?) -> String {
        zone(identifier).label(millis, site: site ?? hereCode, isLocal: site == nil || site == hereCode, here: here)
    }

    /// "2026-12-03 10:00–10:30", labelled with the site when it is another's.
    func span(_ start: Int64, _ end: Int64, site: String?, zone identifier: String?) -> String {
        let zone = zone(identifier)
        let labelled = label(start, site: site, zone: identifier)
        let wallClock = zone.format(start)
        let endTime = TimeOfDay.format(zone.local(end).minuteOfDay)
        return wallClock + "–" + endTime + labelled.dropFirst(wallClock.count)
    }
}

/// A conflict as `sync conflicts` prints it: JSON keeps the rows (`version`) and adds what a person acts on.
struct ConflictView: Encodable {
    struct Side: Encodable {
        let ref: String, version: JSONOutputValue
        let site: String?, practitioner: String?, room: String?, patient: String?, service: String?, status: String?
        let start: String?, end: String?, local_start: String?, local_end: String?, made_at: String?, local_made_at: String?
        let says: String

        init(_ side: ConflictBook.Side, kind: String, times: ConflictTimes) {
            ref = side.reference
            version = JSONOutputValue(side.summary)
            site = side.site
            practitioner = side.practitioner
            room = side.room
            patient = side.patient
            service = side.service
            status = side.status
            start = side.start.map(Instant.iso)
            end = side.end.map(Instant.iso)
            local_start = side.start.map(times.zone(side.timesZone).format)
            local_end = side.end.map(times.zone(side.timesZone).format)
            made_at = side.madeAt.map(Instant.iso)
            local_made_at = side.madeAt.map(times.zone(side.zone).format)
            says = ConflictView.says(side, kind: kind, times: times)
        }
    }

    let id: String, kind: String, table: String, a: Side, b: Side, resolution: String?
    let sites: [String], practitioner: String?, room: String?, patient: String?
    let resolve: String?
    let resolved_by: String?, resolved_at: String?
    /// What resolving it just did (after `--resolve` only).
    let effect: String?
    /// The human block, not printed in JSON.
    let text: String

    private enum CodingKeys: String, CodingKey {
        case id, kind, table, a, b, resolution, sites, practitioner, room, patient, resolve, resolved_by, resolved_at, effect
    }

    /// Absent values are `null` (what both sides share, the command once resolved), so scripts find every key.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(table, forKey: .table)
        try container.encode(sites, forKey: .sites)
        try container.encode(practitioner, forKey: .practitioner)
        try container.encode(room, forKey: .room)
        try container.encode(patient, forKey: .patient)
        try container.encode(a, forKey: .a)
        try container.encode(b, forKey: .b)
        try container.encode(resolve, forKey: .resolve)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(resolved_by, forKey: .resolved_by)
        try container.encode(resolved_at, forKey: .resolved_at)
        try container.encodeIfPresent(effect, forKey: .effect)
    }

    init(_ entry: ConflictBook.Entry, times: ConflictTimes) {
        id = entry.id
        kind = entry.kind
        table = entry.table
        a = Side(entry.a, kind: entry.kind, times: times)
        b = Side(entry.b, kind: entry.kind, times: times)
        resolution = entry.resolution
        sites = entry.sites
        practitioner = entry.practitioner
        room = entry.room
        patient = entry.patient
        resolve = entry.resolveCommand
        resolved_by = entry.resolvedBy
        resolved_at = entry.resolvedAt.map(Instant.iso)
        effect = entry.effect
        var header = "\(entry.id.prefix(12))  \(entry.kind)"
        if !entry.sites.isEmpty { header += "  " + entry.sites.joined(separator: ", ") }
        let member = entry.kind == "duplicate-handle" ? "handle" : "practitioner"
        let stakes = [entry.practitioner.map { "\(member) \($0)" }, entry.room.map { "room \($0)" }, entry.patient.map { "patient \($0)" }]
            .compactMap { $0 }
        var lines = [header]
        if !stakes.isEmpty { lines.append("  " + stakes.joined(separator: " · ")) }
        lines.append("  A: " + a.says)
        lines.append("  B: " + b.says)
        if let keep = entry.resolution {
            let when = entry.resolvedAt.map { " on " + times.here.format($0) } ?? ""
            lines.append("  resolved: kept \(keep)" + (entry.resolvedBy.map { " by \($0)" } ?? "") + when)
        } else if let command = entry.resolveCommand {
            lines.append("  resolve: " + command)
        }
        text = lines.joined(separator: "\n")
    }

    /// What one side says, in a line: a booking with its local times, a note, a change with its site and
    /// time, a patient, member or service. Values appear only where the summary still holds them (clinical
    /// values are kept from non-clinicians below the CLI).
    static func says(_ side: ConflictBook.Side, kind: String, times: ConflictTimes) -> String {
        let summary = side.summary
        if let group = summary["group"]?.stringValue, let table = summary["table"]?.stringValue {
            let when = side.madeAt.map { " on " + times.label($0, site: side.site, zone: side.zone) } ?? ""
            let who = side.site ?? summary["origin"]?.stringValue ?? "another site"
            // An edit after sign: side A is the signature the late change did not see.
            if kind == "edit-after-sign", table == "note", group == "signature" {
                return "\(who) signed the note\(when)"
            }
            var text = "\(who) changed the \(table)'s \(group)\(when)"
            if let start = side.start, let end = side.end, table == "appointment" {
                text += ": " + times.span(start, end, site: side.timesSite, zone: side.timesZone)
            }
            let values = (summary["values"]?.objectValue ?? [:]).filter { !$0.key.hasSuffix("_id") && !["search", "start_ms", "end_ms", "signed_content"].contains($0.key) }
            if !values.isEmpty {
                text += (text.contains(": ") ? ", " : ": ") + values.keys.sorted().map { "\($0) \(plain(values[$0] ?? .null))" }.joined(separator: ", ")
            }
            return text
        }
        switch kind {
        case "double-booking":
            return booking(side, times: times)
        case "note-on-cancelled":
            // Side A is the booking, side B the note (which names its booking).
            if summary["appointment_id"] == nil { return booking(side, times: times) }
            return "note \(IDSuffix.short(side.reference))" + (side.practitioner.map { " by \($0)" } ?? "") + (side.status.map { ", \($0)" } ?? "")
        case "duplicate-chart":
            let name = [summary["last"], summary["first"]].compactMap { $0?.stringValue }.joined(separator: ", ")
            let born = summary["dob"]?.stringValue.map { ", born \($0)" } ?? ""
            return "chart \(side.patient ?? "?") \(name)\(born)" + (side.site.map { " (\($0))" } ?? "")
        case "duplicate-handle", "duplicate-slug":
            let name = side.practitioner ?? side.service ?? IDSuffix.short(side.reference)
            let detail = summary["name"]?.stringValue.map { ": \($0)" } ?? ""
            let added = side.madeAt.map { ", added at \(side.site ?? "?") on " + times.label($0, site: side.site, zone: side.zone) } ?? ""
            return "\(name) (\(IDSuffix.short(side.reference)))\(detail)\(added)"
        default:
            return IDSuffix.short(side.reference)
        }
    }

    /// A booking with its local times, chart, practitioner, room, service and status.
    static func booking(_ side: ConflictBook.Side, times: ConflictTimes) -> String {
        guard let start = side.start, let end = side.end else { return "booking \(IDSuffix.short(side.reference)) (not here)" }
        var text = "booking \(IDSuffix.short(side.reference)) " + times.span(start, end, site: side.timesSite, zone: side.timesZone)
        text += [side.patient, side.practitioner.map { "with \($0)" }, side.room.map { "in \($0)" }, side.service].compactMap { $0 }
            .map { " " + $0 }.joined()
        return text + (side.status.map { ", \($0)" } ?? "")
    }

    /// A value as a person reads it: text bare, null as "(none)".
    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .null: return "(none)"
        case .string(let text): return "\"\(text)\""
        default: return value.canonical
        }
    }
}
