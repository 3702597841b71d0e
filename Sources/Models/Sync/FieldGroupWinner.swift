/// Where a change stands in last-writer-wins order. Stamps are compared by HLC, then by origin
/// site, then by change id: the id only separates two changes that share a stamp and an origin,
/// which only a forged file holds, so that every site still picks the same one.
public struct ChangeStamp: Sendable, Hashable, Comparable {
    public let hlc: HLC
    public let origin: String
    public let changeID: String

    public init(hlc: HLC, origin: String, changeID: String) {
        self.hlc = hlc
        self.origin = origin
        self.changeID = changeID
    }

    public static func < (lhs: ChangeStamp, rhs: ChangeStamp) -> Bool {
        (lhs.hlc, lhs.origin, lhs.changeID) < (rhs.hlc, rhs.origin, rhs.changeID)
    }
}

/// The last-writer-wins rule of a field group: of the changes to one group of one row, the one
/// with the largest stamp wins. The one rule every merge asks, so sites agree whatever the order.
public enum FieldGroupWinner {
    /// True when `candidate` beats `held`: a larger stamp; an equal one is the same change.
    public static func wins(_ candidate: ChangeStamp, over held: ChangeStamp) -> Bool { candidate > held }

    /// The winner of two changes to one group.
    public static func winner(_ a: ChangeStamp, _ b: ChangeStamp) -> ChangeStamp { wins(b, over: a) ? b : a }

    /// The winner among changes to one group, or nil for none.
    public static func winner<S: Sequence<ChangeStamp>>(among stamps: S) -> ChangeStamp? {
        stamps.reduce(nil) { held, stamp in held.map { winner($0, stamp) } ?? stamp }
    }
}
