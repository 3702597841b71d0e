/// A half-open interval of instants `[start, end)` in UTC milliseconds.
public struct TimeSpan: Sendable, Hashable, Codable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Half-open overlap: touching intervals (one ends 09:30, the next starts 09:30) do not overlap.
    public func overlaps(_ other: TimeSpan) -> Bool {
        start < other.end && other.start < end
    }

    public func contains(_ other: TimeSpan) -> Bool {
        start <= other.start && other.end <= end
    }

    public var durationMillis: Int64 { end - start }
}

/// One working range on a weekday, in the site's wall-clock minutes.
public struct WorkingHours: Sendable, Hashable, Codable {
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var startMinute: Int
    public var endMinute: Int

    public init(weekday: Int, startMinute: Int, endMinute: Int) {
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Working hours from `--day mon --from 08:00 --to 16:00`, or a usage error.
    public static func parse(day: String, from: String, to: String) throws -> WorkingHours {
        guard let weekday = Weekday.parse(day) else {
            throw ClinicError(.invalidDay, "\(.weekday) must be one of mon, tue, wed, thu, fri, sat, sun")
        }
        guard let start = TimeOfDay.parse(from), let end = TimeOfDay.parse(to) else {
            throw ClinicError(.invalidTime, "\(.startTime) and \(.endTime) must be times of day written HH:MM")
        }
        guard end > start else { throw ClinicError(.invalidRange, "\(.endTime) must be after \(.startTime)") }
        return WorkingHours(weekday: weekday, startMinute: start, endMinute: end)
    }

    /// This range on a given date as instants in `zone` (nil when both ends fall in a DST gap).
    public func interval(on date: CivilDate, in zone: SiteTimeZone) -> TimeSpan? {
        guard date.weekday == weekday else { return nil }
        let start = zone.instant(LocalDateTime(date: date, minuteOfDay: startMinute))
            ?? zone.instant(LocalDateTime(date: date, minuteOfDay: startMinute + 60))
        let endLocal = endMinute >= 1440
            ? LocalDateTime(date: date.adding(days: 1), minuteOfDay: 0)
            : LocalDateTime(date: date, minuteOfDay: endMinute)
        let end = zone.instant(endLocal) ?? zone.instant(LocalDateTime(date: endLocal.date, minuteOfDay: endLocal.minuteOfDay + 60))
        guard let start, let end, end > start else { return nil }
        return TimeSpan(start: start, end: end)
    }
}

/// Weekday names as the front desk types them.
public enum Weekday {
    static let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public static func parse(_ text: String) -> Int? {
        let key = String(text.lowercased().prefix(3))
        guard text.count >= 3, let index = names.firstIndex(of: key) else { return nil }
        return index + 1
    }

    public static func name(_ weekday: Int) -> String { names[(weekday - 1) % 7] }
}
