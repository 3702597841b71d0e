import Models
import Storage

/// How instants read at this database's site: an appointment's in the zone of the site it happens at,
/// marked when that is another site (`2026-12-01 10:00 EST (MTL)`); the site's own records (audit, sync)
/// in this site's zone.
struct SiteTimes {
    /// This database's site and its zone.
    let here: Site
    let hereZone: SiteTimeZone
    private let sites: [String: Site]
    private let zones: [String: SiteTimeZone]

    init(_ db: Database) throws {
        let repository = SiteRepository(db)
        here = try repository.local()
        hereZone = try repository.zone(of: here)
        let all = try repository.all()
        sites = Dictionary(all.map { ($0.id, $0) }) { first, _ in first }
        var zones = [hereZone.identifier: hereZone]
        for site in all where zones[site.timeZone] == nil {
            zones[site.timeZone] = try? repository.zone(of: site)
        }
        self.zones = zones
    }

    /// A site by id, when this database knows it.
    func site(id: String) -> Site? { sites[id] }

    /// The zone of a site's IANA name; UTC (labelled as such) for a name this system cannot read, rather
    /// than passing another site's times off as this one's.
    func zone(named identifier: String) -> SiteTimeZone {
        zones[identifier] ?? (try? SiteTimeZone("UTC")) ?? hereZone
    }

    func zone(of record: AppointmentRecord) -> SiteTimeZone { zone(named: record.siteTimeZone) }

    func isHere(_ record: AppointmentRecord) -> Bool { record.siteID == here.id }

    /// `2026-12-01 10:00`, with ` EST (MTL)` or ` (QC)` after it when the appointment is another site's.
    func label(_ millis: Int64, of record: AppointmentRecord) -> String {
        zone(of: record).label(millis, site: record.siteCode, isLocal: isHere(record), here: hereZone)
    }

    /// `10:00` in the appointment's site's zone, unmarked (for a column beside a labelled start).
    func timeOfDay(_ millis: Int64, of record: AppointmentRecord) -> String {
        TimeOfDay.format(zone(of: record).local(millis).minuteOfDay)
    }

    /// `2026-12-01 10:00` in the appointment's site's zone, as JSON's `local_start` carries it.
    func wallClock(_ millis: Int64, of record: AppointmentRecord) -> String { zone(of: record).format(millis) }

    /// An instant of this site's own records (an audit entry, an import) in this site's zone.
    func local(_ millis: Int64) -> String { hereZone.format(millis) }
}

extension Session {
    /// The zones of every site this database knows, as times are shown here.
    func times() throws -> SiteTimes { try SiteTimes(db) }
}
