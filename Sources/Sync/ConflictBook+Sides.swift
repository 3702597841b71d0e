import Models
import Storage

/// What a person needs to act on a conflict, beside the raw rows: each side's site, its practitioner,
/// room and chart, its times (and the zone to show them in), and the command that resolves it.
extension ConflictBook {
    /// Describes a side that is a row of `table`: a booking, a note (through its booking), a patient,
    /// a staff member or a service (the site and time of its first change).
    func describe(_ side: inout Side, row id: String, of table: String) throws {
        switch table {
        case "appointment":
            describeBooking(&side, id: id)
        case "note":
            try describeNote(&side, id: id)
            if let status = try row("note", id)?["status"]?.stringValue { side.status = status }
        case "patient":
            guard let values = try row("patient", id) else { return }
            side.patient = values["chart"]?.stringValue
            if let site = try values["site_id"]?.stringValue.flatMap({ try SiteRepository(db).byID($0) }) {
                side.site = site.code
                side.zone = site.timeZone
            }
        case "staff", "service":
            guard let values = try row(table, id) else { return }
            if table == "staff" { side.practitioner = values["handle"]?.stringValue } else { side.service = values["slug"]?.stringValue }
            if let first = try ChangeLogStore(db).firstStamp(table: table, row: id) {
                describeOrigin(&side, origin: first.origin, hlc: first.hlc)
            }
        default:
            break
        }
    }

    /// Describes a side that is a change (an edit, a signature): the site it was written at and when,
    /// and the booking, note or row it changes; an edit of a booking's slot gives the times it sets.
    func describe(_ side: inout Side, change: ChangeLogStore.StoredChange) throws {
        describeOrigin(&side, origin: change.origin, hlc: change.hlc)
        let values = (try? JSONParser.parse(change.values))?.objectValue ?? [:]
        switch change.table {
        case "appointment":
            describeBooking(&side, id: change.rowID, keepingSite: true)
            if let start = values["start_ms"]?.integerValue, let end = values["end_ms"]?.integerValue {
                side.start = start
                side.end = end
            }
            if let status = values["status"]?.stringValue { side.status = status }
        case "note":
            try describeNote(&side, id: change.rowID, keepingSite: true)
        case "needling", "adverse_event":
            let note = try values["note_id"]?.stringValue ?? row(change.table, change.rowID)?["note_id"]?.stringValue
            if let note { try describeNote(&side, id: note, keepingSite: true) }
        case "patient":
            side.patient = try row("patient", change.rowID)?["chart"]?.stringValue
        case "staff":
            side.practitioner = try row("staff", change.rowID)?["handle"]?.stringValue
        case "service":
            side.service = try row("service", change.rowID)?["slug"]?.stringValue
        default:
            break
        }
    }

    /// The booking's site, times, practitioner, room, chart, service and status; with `keepingSite`,
    /// the side's own site (an edit's origin) stays and only the times' site is the booking's.
    private func describeBooking(_ side: inout Side, id: String, keepingSite: Bool = false) {
        guard let record = try? Scheduler(db).record(id: id) else { return }
        if !keepingSite {
            side.site = record.siteCode
            side.zone = record.siteTimeZone
            side.status = record.appointment.status.rawValue
        }
        side.start = record.appointment.span.start
        side.end = record.appointment.span.end
        side.timesSite = record.siteCode
        side.timesZone = record.siteTimeZone
        side.practitioner = record.practitionerHandle
        side.room = record.roomName
        side.patient = record.patientChart
        side.service = record.serviceSlug
    }

    /// A note through its booking: the booking's site, practitioner and chart (the note's author when
    /// the booking is not here yet).
    private func describeNote(_ side: inout Side, id: String, keepingSite: Bool = false) throws {
        guard let values = try row("note", id) else { return }
        if let appointment = values["appointment_id"]?.stringValue { describeBooking(&side, id: appointment, keepingSite: keepingSite) }
        if let author = try values["author_id"]?.stringValue.flatMap({ try StaffRepository(db).byID($0) }) {
            side.practitioner = author.handle
        }
        side.start = nil
        side.end = nil
    }

    /// The site a change or row came from, and when (the wall-clock part of its stamp).
    private func describeOrigin(_ side: inout Side, origin: String, hlc: Int64) {
        side.site = origin
        side.zone = (try? SiteRepository(db).require(code: origin))?.timeZone
        side.madeAt = HLC(rawValue: hlc).physical
    }

    /// A synced row's values by id, or nil when it is not here.
    private func row(_ table: String, _ id: String) throws -> [String: JSONValue]? {
        guard let synced = SyncSchema.table(table) else { return nil }
        return try SyncedRowStore(db, table: synced).values(id: id)
    }
}

extension ConflictBook.Entry {
    /// Fills what both sides share (sites, practitioner, room, chart) and, while open, the command that resolves it.
    mutating func describeStakes() {
        sites = []
        for site in [a.site, b.site].compactMap({ $0 }) where !sites.contains(site) { sites.append(site) }
        func shared(_ first: String?, _ second: String?) -> String? {
            guard let first, let second else { return first ?? second }
            return first == second ? first : nil
        }
        practitioner = shared(a.practitioner, b.practitioner)
        room = shared(a.room, b.room)
        patient = shared(a.patient, b.patient)
        guard resolution == nil else {
            resolveCommand = nil
            return
        }
        resolveCommand = kind == "duplicate-handle"
            ? "clinic staff rename \(IDSuffix.short(b.reference)) NEW-HANDLE"
            : "clinic sync conflicts --resolve \(id.prefix(12)) --keep A|B"
    }
}
