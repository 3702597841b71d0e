/// The name of a conflict, derived from what is involved, so every site that finds it names it
/// alike (and records it once), whichever side it met first.
public struct ConflictIdentity: Sendable, Equatable {
    public let id: String
    /// The sides as stored and shown: A, then B.
    public let a: String
    public let b: String

    /// Kinds whose sides are two different things, kept in the order given: a note on a cancelled
    /// booking has the booking as side A and the note as side B.
    public static let kindsWithOrderedSides: Set<String> = ["note-on-cancelled"]

    /// A conflict of `kind` between `first` and `second`: the id does not depend on their order;
    /// sides are stored smaller first unless the kind keeps its order (`kindsWithOrderedSides`).
    public static func between(kind: String, _ first: String, _ second: String) -> ConflictIdentity {
        let ordered = (min(first, second), max(first, second))
        let id = SHA256Hex.of("\(kind)|\(ordered.0)|\(ordered.1)")
        let sides = kindsWithOrderedSides.contains(kind) ? (first, second) : ordered
        return ConflictIdentity(id: id, a: sides.0, b: sides.1)
    }

    /// An edit after sign: the note's locking signature (side A) and a change it did not see (side B).
    /// Ordered: the signature and the late change are never swapped.
    public static func editAfterSign(signature: String, late: String) -> ConflictIdentity {
        ConflictIdentity(id: SHA256Hex.of("edit-after-sign|\(signature)|\(late)"), a: signature, b: late)
    }
}
