/// A hybrid logical clock stamp: 48 bits of physical milliseconds and a 16-bit counter, packed so
/// that integer order is causal order. Ties between sites are broken by the origin site id.
public struct HLC: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(physical: Int64, counter: Int) {
        rawValue = (physical << 16) | Int64(counter & 0xFFFF)
    }

    public var physical: Int64 { rawValue >> 16 }
    public var counter: Int { Int(rawValue & 0xFFFF) }

    public static let zero = HLC(rawValue: 0)

    public static func < (lhs: HLC, rhs: HLC) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(physical).\(counter)" }

    /// The stamp for a local event at wall time `now`: never goes backwards, even if the wall clock does.
    public func tick(now: Int64) -> HLC {
        if now > physical { return HLC(physical: now, counter: 0) }
        return advanced(physical: physical, counter: counter + 1)
    }

    /// The stamp after receiving `remote` at wall time `now`: later than both.
    public func receive(_ remote: HLC, now: Int64) -> HLC {
        let top = max(physical, remote.physical, now)
        if top == physical && top == remote.physical { return advanced(physical: top, counter: max(counter, remote.counter) + 1) }
        if top == physical { return advanced(physical: top, counter: counter + 1) }
        if top == remote.physical { return advanced(physical: top, counter: remote.counter + 1) }
        return HLC(physical: top, counter: 0)
    }

    /// Counter overflow borrows a millisecond rather than wrapping.
    private func advanced(physical: Int64, counter: Int) -> HLC {
        counter > 0xFFFF ? HLC(physical: physical + 1, counter: 0) : HLC(physical: physical, counter: counter)
    }

    /// Changes stamped further ahead of local time than this are quarantined.
    public static let maximumDriftMillis: Int64 = 5 * 60_000

    /// True when a received stamp is too far in the future to apply now.
    public func isTooFarAhead(of now: Int64) -> Bool { physical > now + Self.maximumDriftMillis }
}
