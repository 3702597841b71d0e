import Foundation

/// The one source of "now": the system clock, or `CLINIC_NOW` (ISO-8601) in a database made for tests and demos.
public struct ClinicClock: Sendable {
    private let fixed: Date?

    public init(fixed: Date? = nil) {
        self.fixed = fixed
    }

    /// The clock a command runs on. `CLINIC_NOW` sets it only where `testClock` allows (a database made by
    /// `clinic demo` or `clinic init --test-clock`); anywhere else it would let anybody backdate an act, undo
    /// a lock-out or sign early, so it is ignored and the system clock runs. `ignoresOverride` is true when
    /// `CLINIC_NOW` was given and is not honoured, so the caller can say so.
    public static func choose(testClock: Bool, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (clock: ClinicClock, ignoresOverride: Bool) {
        guard testClock else { return (ClinicClock(), !(environment["CLINIC_NOW"] ?? "").isEmpty) }
        return (try fromEnvironment(environment), false)
    }

    /// Reads `CLINIC_NOW` from the environment, whatever the database allows (see `choose`); a malformed
    /// value is a usage error.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClinicClock {
        guard let text = environment["CLINIC_NOW"], !text.isEmpty else { return ClinicClock() }
        guard let date = ISOInstant.parse(text) else {
            throw ClinicError(.invalidTime, "CLINIC_NOW must be an ISO-8601 instant such as 2026-12-01T09:00:00Z")
        }
        return ClinicClock(fixed: date)
    }

    public func now() -> Date { fixed ?? Date() }

    /// Milliseconds since 1970 UTC, as instants are stored.
    public func nowMillis() -> Int64 { Instant.millis(now()) }
}

/// Conversions between `Date` and the stored form (integer UTC milliseconds).
public enum Instant {
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// `2026-12-01T14:00:00Z`, as JSON output shows instants.
    public static func iso(_ millis: Int64) -> String {
        let seconds = Int(floorDiv(millis, 1000))
        let days = floorDiv(Int64(seconds), 86_400)
        let secondOfDay = Int(Int64(seconds) - days * 86_400)
        let date = CivilDate(daysSinceEpoch: Int(days))
        return date.description + "T" + TimeOfDay.twoDigits(secondOfDay / 3600) + ":" + TimeOfDay.twoDigits(secondOfDay / 60 % 60) + ":"
            + TimeOfDay.twoDigits(secondOfDay % 60) + "Z"
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// ISO-8601 instants with an offset or `Z`: `2026-12-01T09:00:00Z`, `2026-12-01T09:00-05:00`.
public enum ISOInstant {
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 17 else { return nil }
        let offsetSeconds: Int
        let body: Substring
        if trimmed.hasSuffix("Z") || trimmed.hasSuffix("z") {
            offsetSeconds = 0
            body = trimmed.dropLast()
        } else {
            let tail = trimmed.suffix(6)
            guard tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
                  tail[tail.index(tail.startIndex, offsetBy: 3)] == ":",
                  let hours = Int(tail.dropFirst().prefix(2)), let minutes = Int(tail.suffix(2)),
                  hours <= 14, minutes < 60 else { return nil }
            offsetSeconds = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            body = trimmed.dropLast(6)
        }
        var text = String(body).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "t", with: " ")
        var fraction = 0.0
        if let dot = text.lastIndex(of: "."), text.distance(from: dot, to: text.endIndex) <= 10 {
            let digits = text[text.index(after: dot)...]
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Double("0." + digits) else { return nil }
            fraction = value
            text = String(text[..<dot])
        }
        guard let local = LocalDateTime.parse(text) else { return nil }
        return Date(timeIntervalSince1970: Double(local.secondsAsIfUTC - offsetSeconds) + fraction)
    }
}
