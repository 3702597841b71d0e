import Models

/// Practitioners' weekly working hours and time off, in the site's zone.
public struct AvailabilityRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a working range on a weekday; refuses one that overlaps a range already set that day.
    package func addHours(handle: String, hours: WorkingHours, now: Int64) throws {
        let staff = try StaffRepository(db).require(handle)
        guard staff.isClinician else {
            throw ClinicError(.notAClinician, "working hours are for clinicians; '\(handle)' is not one")
        }
        let existing = try self.hours(staffID: staff.id).filter { $0.weekday == hours.weekday }
        if existing.contains(where: { $0.startMinute < hours.endMinute && hours.startMinute < $0.endMinute }) {
            throw ClinicError(.duplicate, "'\(handle)' already works part of \(Weekday.name(hours.weekday)) \(TimeOfDay.format(hours.startMinute))–\(TimeOfDay.format(hours.endMinute)); clear that day first")
        }
        try db.execute("INSERT INTO working_hours (id, staff_id, weekday, start_min, end_min, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staff.id, hours.weekday, hours.startMinute, hours.endMinute, now])
    }

    /// Removes every working range on a weekday.
    package func clearHours(handle: String, weekday: Int) throws {
        let staff = try StaffRepository(db).require(handle)
        try db.execute("DELETE FROM working_hours WHERE staff_id = ? AND weekday = ?", [staff.id, weekday])
    }

    public func hours(staffID: String) throws -> [WorkingHours] {
        try db.query("SELECT weekday, start_min, end_min FROM working_hours WHERE staff_id = ? ORDER BY weekday, start_min", [staffID])
            .map { WorkingHours(weekday: Int($0.int(0)), startMinute: Int($0.int(1)), endMinute: Int($0.int(2))) }
    }

    /// Records time off between two instants.
    package func addTimeOff(handle: String, interval: TimeSpan, reason: String?, now: Int64) throws {
        try PlainText.require(reason, field: .reason)
        let staff = try StaffRepository(db).require(handle)
        guard interval.end > interval.start else {
            throw ClinicError(.invalidRange, "\(.endTime) must be after \(.startTime)")
        }
        try db.execute("INSERT INTO time_off (id, staff_id, start_ms, end_ms, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staff.id, interval.start, interval.end, reason, now])
    }

    /// Time off that overlaps `[from, to)`.
    public func timeOff(staffID: String, from: Int64, to: Int64) throws -> [TimeSpan] {
        try db.query("SELECT start_ms, end_ms FROM time_off WHERE staff_id = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms",
                     [staffID, to, from])
            .map { TimeSpan(start: $0.int(0), end: $0.int(1)) }
    }
}
