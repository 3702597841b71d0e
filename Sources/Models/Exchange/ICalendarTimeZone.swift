import Foundation

/// One observance of a VTIMEZONE: the offsets either side of a transition and when it happens.
public struct TimeZoneObservance: Sendable, Equatable {
    /// True for a DAYLIGHT component, false for STANDARD.
    public var isDaylight: Bool
    /// The wall-clock time of the transition in the offset in force before it.
    public var start: LocalDateTime
    public var offsetFrom: Int
    public var offsetTo: Int
    public var name: String?
}

/// Builds the VTIMEZONE of a site's zone from the zone's real transitions, so a client that
/// does not know the IANA name still places every event at the right instant.
public enum ICalendarTimeZone {
    /// The observances needed for `[from, to]`: the one in force at `from` and every transition
    /// up to `to`. A zone without transitions gets one STANDARD observance from 1970.
    public static func observances(identifier: String, from: Int64, to: Int64) -> [TimeZoneObservance] {
        guard let zone = TimeZone(identifier: identifier) else { return [] }
        let lookBack = Instant.date(from - 400 * 86_400_000)
        let end = Instant.date(to)
        var transitions: [Date] = []
        var cursor = lookBack
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end, transitions.count < 1000 {
            transitions.append(next)
            cursor = next
        }
        let start = Instant.date(from)
        let inForce = transitions.last { $0 <= start }
        let kept = transitions.filter { $0 > start }
        var result: [TimeZoneObservance] = []
        if let inForce {
            result.append(observance(zone, at: inForce))
        } else {
            let offset = zone.secondsFromGMT(for: start)
            result.append(TimeZoneObservance(isDaylight: zone.isDaylightSavingTime(for: start),
                                             start: LocalDateTime(date: CivilDate(daysSinceEpoch: 0), minuteOfDay: 0),
                                             offsetFrom: offset, offsetTo: offset, name: zone.abbreviation(for: start)))
        }
        result += kept.map { observance(zone, at: $0) }
        return result
    }

    static func observance(_ zone: TimeZone, at transition: Date) -> TimeZoneObservance {
        let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
        let after = zone.secondsFromGMT(for: transition)
        let seconds = Int(transition.timeIntervalSince1970.rounded()) + before
        return TimeZoneObservance(isDaylight: zone.isDaylightSavingTime(for: transition),
                                  start: LocalDateTime(secondsAsIfUTC: seconds),
                                  offsetFrom: before, offsetTo: after, name: zone.abbreviation(for: transition))
    }

    /// The VTIMEZONE component's content lines.
    public static func lines(identifier: String, from: Int64, to: Int64) -> [String] {
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + identifier]
        for observance in observances(identifier: identifier, from: from, to: to) {
            let kind = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
            lines += ["BEGIN:" + kind, "DTSTART:" + ICalendarText.local(observance.start),
                      "TZOFFSETFROM:" + ICalendarText.offset(observance.offsetFrom),
                      "TZOFFSETTO:" + ICalendarText.offset(observance.offsetTo)]
            if let name = observance.name, !name.isEmpty { lines.append("TZNAME:" + ICalendarText.escape(name)) }
            lines.append("END:" + kind)
        }
        lines.append("END:VTIMEZONE")
        return lines
    }
}
