import Foundation

/// Time-ordered identifiers (RFC 9562 version 7) so rows made at different sites never collide
/// and sort roughly by creation time.
public enum UUIDv7 {
    /// Makes a new id for the given instant; the 74 random bits come from `random`.
    public static func make<R: RandomNumberGenerator>(at date: Date, using random: inout R) -> UUID {
        // The stored instant (nearest millisecond): flooring `0.999 * 1000` would give 998.
        let millis = UInt64(max(0, Instant.millis(date)))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - UInt64(index))))
        }
        // Two draws from the generator give the 80 random-looking bits (74 survive the version and variant).
        let high = random.next(), low = random.next()
        for index in 6..<14 { bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(index - 6))) }
        for index in 14..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(index - 14))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// Makes a new id for the given instant with the system's random source.
    public static func make(at date: Date) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    /// The id as stored and shown: lower-case, hyphenated.
    public static func string(at date: Date) -> String {
        make(at: date).uuidString.lowercased()
    }

    /// The millisecond timestamp carried in a version-7 id, or nil for another version.
    public static func timestamp(of id: UUID) -> Date? {
        let u = id.uuid
        guard (u.6 >> 4) == 7 else { return nil }
        let parts = [u.0, u.1, u.2, u.3, u.4, u.5]
        let millis = parts.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}

/// Short, human handles for ids: tables show the last 8 hex digits, and any unambiguous
/// suffix of at least 8 hex digits names a row.
public enum IDSuffix {
    /// The last 8 hex digits of an id, as tables show it.
    public static func short(_ id: String) -> String {
        String(id.replacingOccurrences(of: "-", with: "").suffix(8))
    }

    /// The normalised hex suffix a user typed, or nil if it is not ≥ 8 hex digits.
    public static func normalise(_ text: String) -> String? {
        let hex = text.lowercased().replacingOccurrences(of: "-", with: "")
        guard hex.count >= 8, hex.count <= 32, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return hex
    }
}
