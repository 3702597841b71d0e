/// How a series repeats: expanded in the site's zone so 09:00 stays 09:00 across DST changes.
public enum RepeatRule: String, Sendable, Codable, CaseIterable {
    case daily
    case weekly
    case everyTwoWeeks = "every-2-weeks"

    var stepDays: Int {
        switch self {
        case .daily: return 1
        case .weekly: return 7
        case .everyTwoWeeks: return 14
        }
    }
}

/// When a series ends: after a number of occurrences, or on a date (inclusive).
public enum RepeatEnd: Sendable, Equatable {
    case count(Int)
    case until(CivilDate)
}

/// A series of wall-clock starts, expanded into instants.
public struct Recurrence: Sendable, Equatable {
    public static let maximumOccurrences = 200

    public var rule: RepeatRule
    public var end: RepeatEnd

    public init(rule: RepeatRule, end: RepeatEnd) {
        self.rule = rule
        self.end = end
    }

    /// The local start of every occurrence, first one included.
    public func localStarts(from first: LocalDateTime) throws -> [LocalDateTime] {
        var starts: [LocalDateTime] = []
        switch end {
        case .count(let count):
            guard (1...Self.maximumOccurrences).contains(count) else {
                throw ClinicError(.invalidCount, "\(.occurrenceCount) must be between 1 and \(Self.maximumOccurrences)")
            }
            for index in 0..<count {
                starts.append(LocalDateTime(date: first.date.adding(days: index * rule.stepDays), minuteOfDay: first.minuteOfDay))
            }
        case .until(let last):
            guard last >= first.date else {
                throw ClinicError(.invalidRange, "\(.until) must not be before the first occurrence")
            }
            var date = first.date
            while date <= last {
                starts.append(LocalDateTime(date: date, minuteOfDay: first.minuteOfDay))
                guard starts.count <= Self.maximumOccurrences else {
                    throw ClinicError(.invalidCount, "a series may hold at most \(Self.maximumOccurrences) occurrences")
                }
                date = date.adding(days: rule.stepDays)
            }
        }
        return starts
    }

    /// Every occurrence as an instant in `zone`. An occurrence that falls in a spring-forward gap
    /// refuses the whole series (`nonexistent-time`) naming the dates.
    public func instants(from first: LocalDateTime, in zone: SiteTimeZone) throws -> [Int64] {
        let locals = try localStarts(from: first)
        var instants: [Int64] = []
        var missing: [String] = []
        for local in locals {
            if let instant = zone.instant(local) { instants.append(instant) } else { missing.append(local.description) }
        }
        guard missing.isEmpty else {
            throw ClinicError(.nonexistentTime,
                                    "\(missing.joined(separator: ", ")) does not exist in \(zone.identifier) (clocks spring forward); choose another time")
        }
        return instants
    }
}
