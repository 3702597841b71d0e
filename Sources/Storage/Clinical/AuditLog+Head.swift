import Models

extension AuditLog {
    /// Where the chain ends: the number of its last entry (how many an unbroken log holds) and that
    /// entry's hash. Change-log headers carry it, so another site notices a log cut back later.
    public struct Head: Sendable, Equatable {
        public var count: Int64
        public var hash: String

        public init(count: Int64, hash: String) {
            self.count = count
            self.hash = hash
        }
    }

    /// The head of the log as it stands; an empty log's is entry 0 with the chain's first link.
    public func head() throws -> Head {
        guard let last = try db.first("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") else { return Head(count: 0, hash: Self.genesis) }
        return Head(count: last.int(0), hash: last.string(1))
    }

    /// The hash of entry `count` as the log holds it now (the first link for 0), or nil when that
    /// entry is not there (any more).
    public func hash(at count: Int64) throws -> String? {
        if count == 0 { return Self.genesis }
        return try db.first("SELECT hash FROM audit WHERE seq = ?", [count])?.string(0)
    }

    /// The heads this site's change logs carried to one peer, oldest first, as `peer.audit_sent`
    /// keeps them (a JSON array of `[count, hash]`); what is not such a pair is passed over.
    public static func sentHeads(_ text: String?) -> [Head] {
        guard let text, let list = (try? JSONParser.parse(text))?.arrayValue else { return [] }
        return list.compactMap { item in
            guard let pair = item.arrayValue, pair.count == 2, let count = pair[0].integerValue, let hash = pair[1].stringValue else { return nil }
            return Head(count: count, hash: hash)
        }
    }
}
