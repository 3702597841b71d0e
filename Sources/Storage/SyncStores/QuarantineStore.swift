/// Changes held back because they were stamped too far in the future (`quarantine`), kept as
/// their lines until their time comes or an admin accepts them.
public struct QuarantineStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A held change: its id, stamp, origin, who sent it, and its line as received.
    public struct Held {
        public let changeID: String
        public let origin: String
        public let hlc: Int64
        public let receivedFrom: String
        public let line: String
    }

    /// Holds a change (once: a second copy is ignored).
    public func hold(changeID: String, line: String, hlc: Int64, origin: String, receivedFrom: String, at now: Int64) throws {
        try db.execute("INSERT INTO quarantine (change_id, line, hlc, origin, received_from, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       [changeID, line, hlc, origin, receivedFrom, now])
    }

    /// Every held change, oldest stamp first.
    public func all() throws -> [Held] {
        try db.query("SELECT change_id, origin, hlc, received_from, line FROM quarantine ORDER BY hlc").map {
            Held(changeID: $0.string(0), origin: $0.string(1), hlc: $0.int(2), receivedFrom: $0.string(3), line: $0.string(4))
        }
    }

    /// The lines of the held changes whose physical time is at most `millis`.
    public func lines(stampedUpTo millis: Int64) throws -> [String] {
        try db.query("SELECT line FROM quarantine WHERE (hlc >> 16) <= ?", [millis]).map { $0.string(0) }
    }

    /// Lets a change go (it is being applied).
    public func release(changeID: String) throws {
        try db.execute("DELETE FROM quarantine WHERE change_id = ?", [changeID])
    }
}
