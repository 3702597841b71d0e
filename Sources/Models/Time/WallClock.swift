import Foundation

/// A wall-clock time with no zone (`2026-12-01 09:00`), meaningful only with a site's zone.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let date: CivilDate
    /// Minutes after local midnight, 0..<1440.
    public let minuteOfDay: Int
    public let second: Int

    public init(date: CivilDate, minuteOfDay: Int, second: Int = 0) {
        self.date = date
        self.minuteOfDay = minuteOfDay
        self.second = second
    }

    /// Parses `YYYY-MM-DD HH:MM` (optionally `:SS`).
    public static func parse(_ text: String) -> LocalDateTime? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let date = CivilDate.parse(String(parts[0])),
              let time = TimeOfDay.parseSeconds(String(parts[1])) else { return nil }
        return LocalDateTime(date: date, minuteOfDay: time / 60, second: time % 60)
    }

    /// Seconds since 1970 if this wall time were UTC: the starting point for zone arithmetic.
    public var secondsAsIfUTC: Int { date.daysSinceEpoch * 86_400 + minuteOfDay * 60 + second }

    public init(secondsAsIfUTC seconds: Int) {
        let days = Int(Instant.floorDiv(Int64(seconds), 86_400))
        let rest = seconds - days * 86_400
        self.init(date: CivilDate(daysSinceEpoch: days), minuteOfDay: rest / 60, second: rest % 60)
    }

    public var description: String { "\(date) \(TimeOfDay.format(minuteOfDay))" }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.secondsAsIfUTC < rhs.secondsAsIfUTC }
}

/// `HH:MM` times of day, as working hours are written.
public enum TimeOfDay {
    /// Minutes after midnight for `HH:MM` (00:00–24:00), or nil.
    public static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seconds = parseSeconds(text) else { return nil }
        return seconds / 60
    }

    static func parseSeconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) ?? 99 : 0
        guard (h < 24 && m < 60 && s < 60) || (h == 24 && m == 0 && s == 0) else { return nil }
        return h * 3600 + m * 60 + s
    }

    public static func format(_ minuteOfDay: Int) -> String {
        twoDigits(minuteOfDay / 60) + ":" + twoDigits(minuteOfDay % 60)
    }

    /// `%02d` for a non-negative number without `String(format:)`, whose variadic arguments cost a
    /// runtime conformance lookup each (it showed in every `--json` listing's profile).
    static func twoDigits(_ value: Int) -> String {
        value < 10 && value >= 0 ? "0" + String(value) : String(value)
    }
}

/// A site's IANA zone and the conversions between wall-clock times and instants.
public struct SiteTimeZone: Sendable, Hashable {
    public let identifier: String
    private let zone: TimeZone

    /// A known IANA zone, or a usage error (`invalid-timezone`).
    public init(_ identifier: String) throws {
        // Foundation on Linux names the "UTC" zone "GMT", so that one name is matched by its offset.
        guard identifier.contains("/") || identifier == "UTC",
              let zone = TimeZone(identifier: identifier),
              zone.identifier == identifier || (identifier == "UTC" && zone.secondsFromGMT() == 0) else {
            throw ClinicError(.invalidTimezone, "unknown time zone '\(identifier)'; use an IANA name such as America/Toronto")
        }
        self.identifier = identifier
        self.zone = zone
    }

    /// Offset from UTC in seconds at an instant.
    public func offsetSeconds(atMillis millis: Int64) -> Int {
        zone.secondsFromGMT(for: Instant.date(millis))
    }

    /// The wall-clock time at an instant.
    public func local(_ millis: Int64) -> LocalDateTime {
        let seconds = Int(Instant.floorDiv(millis, 1000))
        return LocalDateTime(secondsAsIfUTC: seconds + offsetSeconds(atMillis: millis))
    }

    /// The instant of a wall-clock time: the first occurrence when the time is ambiguous
    /// (fall-back), nil when it does not exist (spring-forward gap).
    public func instant(_ local: LocalDateTime) -> Int64? {
        let asUTC = local.secondsAsIfUTC
        var offsets = Set<Int>()
        for probe in [-2 * 86_400, -86_400, 0, 86_400, 2 * 86_400] {
            offsets.insert(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(asUTC + probe))))
        }
        let candidates = offsets.compactMap { offset -> Int? in
            let instant = asUTC - offset
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))) == offset ? instant : nil
        }
        guard let earliest = candidates.min() else { return nil }
        return Int64(earliest) * 1000
    }

    /// The instant for a wall-clock time, or a usage error when it falls in a DST gap.
    public func requireInstant(_ local: LocalDateTime) throws -> Int64 {
        guard let millis = instant(local) else {
            throw ClinicError(.nonexistentTime, "\(local) does not exist in \(identifier) (clocks spring forward)")
        }
        return millis
    }

    /// Parses `--at` text: wall-clock in this zone, or ISO-8601 with an offset or `Z`.
    public func parseTime(_ text: String, field: ClinicField = .time) throws -> Int64 {
        if let local = LocalDateTime.parse(text) { return try requireInstant(local) }
        if let date = ISOInstant.parse(text) { return Instant.millis(date) }
        throw ClinicError(.invalidTime, "\(field) must look like \"2026-12-01 09:00\" or an ISO-8601 time with offset"
                         + ErrorMessage(verbatim: ErrorMessage.given(text, for: field)))
    }

    /// The first instant of a local day (midnight, or the first minute after a gap).
    public func startOfDay(_ date: CivilDate) -> Int64 {
        var minute = 0
        while minute < 24 * 60 {
            if let millis = instant(LocalDateTime(date: date, minuteOfDay: minute)) { return millis }
            minute += 15
        }
        return Int64(date.daysSinceEpoch) * 86_400_000
    }

    /// `2026-12-01 09:00` in this zone, as tables show instants.
    public func format(_ millis: Int64) -> String { local(millis).description }

    /// The zone's short name at an instant as people read it: `EST`, `EDT`, `PST`; `GMT+1` where
    /// English has no common one.
    public func abbreviation(atMillis millis: Int64) -> String {
        let date = Instant.date(millis)
        let style: TimeZone.NameStyle = zone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        return zone.localizedName(for: style, locale: Self.english) ?? ("UTC" + offsetText(atMillis: millis))
    }

    private static let english = Locale(identifier: "en_US")

    /// How an instant at a site reads to a person at a site in `here`: `2026-12-01 10:00` at their own
    /// site; another site's code after it (`2026-12-01 10:00 (QC)`), and the zone's abbreviation too when
    /// the zones differ (`2026-12-01 10:00 EST (MTL)`). `self` is the zone of the site the time happens at.
    public func label(_ millis: Int64, site code: String, isLocal: Bool, here: SiteTimeZone) -> String {
        format(millis) + siteMark(millis, site: code, isLocal: isLocal, here: here)
    }

    /// What follows another site's wall-clock time (a date or a time of day) so that nobody reads it as
    /// their own: ` EST (MTL)` when the zones differ, ` (QC)` when they do not, nothing at one's own site.
    public func siteMark(_ millis: Int64, site code: String, isLocal: Bool, here: SiteTimeZone) -> String {
        if isLocal { return "" }
        return (identifier == here.identifier ? "" : " " + abbreviation(atMillis: millis)) + " (\(code))"
    }

    /// The ISO-8601 offset string (`-05:00`) in force at an instant.
    public func offsetText(atMillis millis: Int64) -> String {
        let offset = offsetSeconds(atMillis: millis)
        let sign = offset < 0 ? "-" : "+"
        return sign + TimeOfDay.twoDigits(abs(offset) / 3600) + ":" + TimeOfDay.twoDigits(abs(offset) / 60 % 60)
    }
}
