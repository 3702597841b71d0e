import Models

/// Practitioners' weekly working hours at each site (in that site's zone) and their time off, which holds everywhere.
public struct AvailabilityRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a working range on a weekday at a site; refuses one that overlaps a range already set that
    /// day at any site (nobody works in two places at once).
    package func addHours(handle: String, hours: WorkingHours, site chosen: Site? = nil, now: Int64) throws {
        let site = try chosen ?? SiteRepository(db).local()
        let staff = try StaffRepository(db).require(handle)
        guard staff.isClinician else {
            throw ClinicError(.notAClinician, "working hours are for clinicians; '\(handle)' is not one")
        }
        // Each range as minutes of a UTC week (with its zone's offset today), so Montréal's 08:00–12:00
        // and Vancouver's 08:00–12:00 (11:00–15:00 in Montréal) are seen to overlap.
        let sites = SiteRepository(db)
        let target = try sites.zone(of: site).offsetSeconds(atMillis: now) / 60
        let wanted = WeekRange(hours, offsetMinutes: target)
        let held = try db.query("""
            SELECT w.weekday, w.start_min, w.end_min, s.code, s.timezone FROM working_hours w LEFT JOIN site s ON s.id = w.site_id
            WHERE w.staff_id = ?
            """, [staff.id])
        for row in held {
            let range = WorkingHours(weekday: Int(row.int(0)), startMinute: Int(row.int(1)), endMinute: Int(row.int(2)))
            let offset = try row.optionalString(4).map { try sites.zone(named: $0).offsetSeconds(atMillis: now) / 60 } ?? target
            guard WeekRange(range, offsetMinutes: offset).overlaps(wanted) else { continue }
            let place = row.optionalString(3).map { " at \($0)" } ?? ""
            throw ClinicError(.duplicate, "'\(handle)' already works \(Weekday.name(range.weekday)) \(TimeOfDay.format(range.startMinute))–\(TimeOfDay.format(range.endMinute))\(place), which overlaps; clear that day first")
        }
        try db.execute("INSERT INTO working_hours (id, staff_id, site_id, weekday, start_min, end_min, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staff.id, site.id, hours.weekday, hours.startMinute, hours.endMinute, now])
    }

    /// Removes every working range on a weekday at a site.
    package func clearHours(handle: String, weekday: Int, site: Site) throws {
        let staff = try StaffRepository(db).require(handle)
        try db.execute("DELETE FROM working_hours WHERE staff_id = ? AND weekday = ? AND site_id = ?", [staff.id, weekday, site.id])
    }

    /// A practitioner's weekly hours at one site.
    public func hours(staffID: String, siteID: String) throws -> [WorkingHours] {
        try db.query("SELECT weekday, start_min, end_min FROM working_hours WHERE staff_id = ? AND site_id = ? ORDER BY weekday, start_min",
                     [staffID, siteID])
            .map { WorkingHours(weekday: Int($0.int(0)), startMinute: Int($0.int(1)), endMinute: Int($0.int(2))) }
    }

    /// A practitioner's weekly hours at every site, with the site's id.
    public func hoursEverywhere(staffID: String) throws -> [(siteID: String?, hours: WorkingHours)] {
        try db.query("SELECT weekday, start_min, end_min, site_id FROM working_hours WHERE staff_id = ? ORDER BY weekday, start_min", [staffID])
            .map { ($0.optionalString(3), WorkingHours(weekday: Int($0.int(0)), startMinute: Int($0.int(1)), endMinute: Int($0.int(2)))) }
    }

    /// Records time off between two instants and returns the appointments still booked inside it (at
    /// every site). With any, nothing is recorded (`has-bookings`, each listed on its own line) unless `force`.
    package func addTimeOff(handle: String, interval: TimeSpan, reason: String?, force: Bool, now: Int64) throws -> [AppointmentRecord] {
        try PlainText.require(reason, field: .reason)
        let staff = try StaffRepository(db).require(handle)
        guard interval.end > interval.start else {
            throw ClinicError(.invalidRange, "\(.endTime) must be after \(.startTime)")
        }
        let covered = try bookings(staffID: staff.id, in: interval)
        if !covered.isEmpty, !force {
            let list = covered.map { record -> String in
                let zone = (try? SiteTimeZone(record.siteTimeZone))
                let when = zone.map { $0.format(record.appointment.span.start) } ?? Instant.iso(record.appointment.span.start)
                return "\n  \(IDSuffix.short(record.id)) \(when) at \(record.siteCode) (\(record.appointment.status.rawValue))"
            }.joined()
            let what = covered.count == 1 ? "1 appointment is" : "\(covered.count) appointments are"
            throw ClinicError(.hasBookings, "\(what) still booked in this time off; move or cancel them, or record it anyway with \(.force); nothing was recorded:"
                              + ErrorMessage(verbatim: list))
        }
        try db.execute("INSERT INTO time_off (id, staff_id, start_ms, end_ms, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staff.id, interval.start, interval.end, reason, now])
        return covered
    }

    /// A clinician's appointments still to be seen (booked or checked in) overlapping `interval`, at every site.
    func bookings(staffID: String, in interval: TimeSpan) throws -> [AppointmentRecord] {
        try db.query(AppointmentRecord.select + """
             WHERE a.staff_id = ? AND a.start_ms < ? AND a.end_ms > ? AND a.status IN ('booked', 'checked-in')
             ORDER BY a.start_ms
            """, [staffID, interval.end, interval.start]).map(AppointmentRecord.init)
    }

    /// Time off that overlaps `[from, to)`.
    public func timeOff(staffID: String, from: Int64, to: Int64) throws -> [TimeSpan] {
        try db.query("SELECT start_ms, end_ms FROM time_off WHERE staff_id = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms",
                     [staffID, to, from])
            .map { TimeSpan(start: $0.int(0), end: $0.int(1)) }
    }
}

/// A weekly working range as minutes of a week in UTC, for comparing ranges set in different zones.
struct WeekRange {
    static let week = 7 * 24 * 60
    let start: Int
    let length: Int

    init(_ hours: WorkingHours, offsetMinutes: Int) {
        let local = (hours.weekday - 1) * 24 * 60 + hours.startMinute
        start = ((local - offsetMinutes) % Self.week + Self.week) % Self.week
        length = hours.endMinute - hours.startMinute
    }

    /// True when the two ranges share a minute, across the end of the week too.
    func overlaps(_ other: WeekRange) -> Bool {
        [-Self.week, 0, Self.week].contains { shift in
            let otherStart = other.start + shift
            return start < otherStart + other.length && otherStart < start + length
        }
    }
}
