/// The local days a report covers and their bounds as instants. By default the week of today, Monday to
/// Sunday; never more than 366 days, so a typo in a year cannot make a report read a decade.
public struct ReportRange: Sendable, Equatable {
    public let days: [CivilDate]
    /// The start of the first day in the site's zone.
    public let start: Int64
    /// The start of the day after the last one in the site's zone (exclusive).
    public let end: Int64

    /// `from` defaults to the Monday of `today`'s week and `until` to six days after `from`; 64 `invalid-range`
    /// when `until` is before `from`, 64 `out-of-range` over 366 days.
    public init(from: CivilDate?, until: CivilDate?, today: CivilDate, zone: SiteTimeZone) throws {
        let first = from ?? today.startOfWeek
        let last = until ?? first.adding(days: 6)
        guard last >= first else { throw ClinicError(.invalidRange, "\(.until) must not be before \(.fromDate)") }
        guard last.daysSinceEpoch - first.daysSinceEpoch < 366 else {
            throw ClinicError(.outOfRange, "a report covers at most 366 days")
        }
        days = (0...(last.daysSinceEpoch - first.daysSinceEpoch)).map { first.adding(days: $0) }
        start = zone.startOfDay(first)
        end = zone.startOfDay(last.adding(days: 1))
    }

    /// The same days with their bounds in another zone: a report over several sites counts each site's
    /// days in that site's own zone.
    public func bounded(in zone: SiteTimeZone) -> ReportRange {
        ReportRange(days: days, zone: zone)
    }

    private init(days: [CivilDate], zone: SiteTimeZone) {
        self.days = days
        start = days.first.map(zone.startOfDay) ?? 0
        end = days.last.map { zone.startOfDay($0.adding(days: 1)) } ?? 0
    }

    /// The first day, as reports print it.
    public var from: String { days.first?.description ?? "" }
    /// The last day, as reports print it.
    public var until: String { days.last?.description ?? "" }
}
