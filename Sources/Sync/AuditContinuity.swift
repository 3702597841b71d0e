import Models
import Storage

/// The sender's audit head as a change-log header carries it. Besides the head itself, a log for a
/// recipient carries, for each head the sender's earlier logs for it carried, the hash the sender's
/// chain has at that place now: the recipient compares it with the head it was shown, so a log cut
/// back and grown again past where it was is still caught.
public struct AuditClaim: Sendable, Equatable {
    /// A place an earlier log for this recipient named, and the hash of the sender's entry there now
    /// (nil when the entry is gone).
    public struct Checkpoint: Sendable, Equatable {
        public var count: Int64
        public var hash: String?
    }

    public var count: Int64
    public var hash: String
    /// Which log for this recipient this is (1, 2, …); 0 for a log written for no site in particular.
    public var serial: Int64
    /// Earlier heads sent to this recipient, by count.
    public var sent: [Checkpoint]

    var json: JSONValue {
        .object(["count": .integer(count), "hash": .string(hash), "serial": .integer(serial),
                 "sent": .array(sent.map { .array([.integer($0.count), $0.hash.map(JSONValue.string) ?? .null]) })])
    }

    /// The claim a header's `audit` member holds, or nil when it is not one.
    static func parse(_ value: JSONValue) -> AuditClaim? {
        guard let members = value.objectValue, members.count == 4, let count = members["count"]?.integerValue, count >= 0,
              let hash = members["hash"]?.stringValue, let serial = members["serial"]?.integerValue, serial >= 0,
              let list = members["sent"]?.arrayValue else { return nil }
        var sent: [Checkpoint] = []
        for item in list {
            guard let pair = item.arrayValue, pair.count == 2, let place = pair[0].integerValue, place >= 0 else { return nil }
            switch pair[1] {
            case .string(let text): sent.append(Checkpoint(count: place, hash: text))
            case .null: sent.append(Checkpoint(count: place, hash: nil))
            default: return nil
            }
        }
        return AuditClaim(count: count, hash: hash, serial: serial, sent: sent)
    }
}

/// Whether a peer's audit log still extends the head it showed this site before.
public enum AuditContinuity {
    /// Heads a sender keeps per recipient (newest last), so a few lost files in a row still leave
    /// the recipient's last known head among them.
    static let keptHeads = 16

    /// What a recipient remembers of a sender's audit log: the head its newest log carried.
    struct Known: Equatable {
        let serial: Int64
        let count: Int64
        let hash: String
    }

    /// True when `claim`, from a log newer than the one that showed `known`, proves the sender's log
    /// no longer extends `known`: it is shorter, or differs at that place, or the sender no longer
    /// lists a head it must still hold (its record of what it sent was cut back too).
    static func isRewound(known: Known, claim: AuditClaim) -> Bool {
        if claim.count < known.count { return true }
        if claim.count == known.count { return claim.hash != known.hash }
        if let checkpoint = claim.sent.first(where: { $0.count == known.count }) { return checkpoint.hash != known.hash }
        return claim.serial - known.serial <= Int64(keptHeads)
    }

    /// The claim for a log this site writes now, for `recipient` (nil: for no site in particular).
    static func claim(_ db: Database, recipient: String?) throws -> AuditClaim {
        let log = AuditLog(db)
        let head = try log.head()
        guard let recipient else { return AuditClaim(count: head.count, hash: head.hash, serial: 0, sent: []) }
        let earlier = try PeerStore(db).sentAudit(to: recipient)
        var sent: [AuditClaim.Checkpoint] = []
        for count in Set(AuditLog.sentHeads(earlier.heads).map(\.count)).sorted() {
            sent.append(AuditClaim.Checkpoint(count: count, hash: try log.hash(at: count)))
        }
        return AuditClaim(count: head.count, hash: head.hash, serial: earlier.serial + 1, sent: sent)
    }

    /// Notes, once the log is written, which head it carried to `recipient` (whose peer row exists).
    static func recordSent(_ db: Database, recipient: String, claim: AuditClaim) throws {
        let peers = PeerStore(db)
        let stored = try peers.sentAudit(to: recipient).heads
        let head = AuditLog.Head(count: claim.count, hash: claim.hash)
        var heads = AuditLog.sentHeads(stored).filter { $0 != head }
        heads.append(head)
        let kept = heads.suffix(keptHeads).map { JSONValue.array([.integer($0.count), .string($0.hash)]) }
        try peers.recordSentAudit(to: recipient, serial: claim.serial, heads: JSONValue.array(Array(kept)).canonical)
    }

    /// Checks a received log's claim against what this site knew of the sender, and remembers the
    /// newer head (in the import's transaction, whose peer row exists). Returns true when the
    /// sender's audit log went back: recorded with the time, for `doctor`, and the import goes on.
    /// A log without a claim (written by an earlier release) or for no site in particular, and a log
    /// older than the newest one seen, are not checked.
    static func receive(_ db: Database, from site: String, claim: AuditClaim?, now: Int64) throws -> Bool {
        guard let claim, claim.serial > 0 else { return false }
        let peers = PeerStore(db)
        var rewound = false
        if let known = try peers.receivedAudit(from: site) {
            guard claim.serial > known.serial else { return false }
            rewound = isRewound(known: Known(serial: known.serial, count: known.count, hash: known.hash), claim: claim)
        }
        try peers.recordReceivedAudit(from: site, serial: claim.serial, count: claim.count, hash: claim.hash, rewound: rewound, at: now)
        return rewound
    }
}
