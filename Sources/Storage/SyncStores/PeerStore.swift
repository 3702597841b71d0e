import Models

/// What this site knows of each peer (`peer`): the vectors sent to it and acknowledged by it, the
/// counts and times of exchanges, and the audit heads each side showed the other.
public struct PeerStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A peer as `sync status` lists it.
    public struct Exchanges {
        public let code: String
        public let lastExport: Int64?
        public let lastImport: Int64?
        public let exported: Int
        public let imported: Int
    }

    /// Every peer, by code.
    public func all() throws -> [Exchanges] {
        try db.query("SELECT code, last_export_at, last_import_at, exported_changes, imported_changes FROM peer ORDER BY code").map {
            Exchanges(code: $0.string(0), lastExport: $0.optionalInt(1), lastImport: $0.optionalInt(2), exported: Int($0.int(3)),
                      imported: Int($0.int(4)))
        }
    }

    /// The vector last sent to the peer (per origin, the newest stamp), or empty.
    public func sentVector(_ code: String) throws -> [String: Int64] {
        try vector(try db.first("SELECT sent FROM peer WHERE code = ?", [code])?.string(0))
    }

    /// The vector the peer last acknowledged (its content when it wrote to this site), or empty.
    public func acknowledgedVector(_ code: String) throws -> [String: Int64] {
        try vector(try db.first("SELECT acked FROM peer WHERE code = ?", [code])?.string(0))
    }

    private func vector(_ text: String?) throws -> [String: Int64] {
        guard let text, let object = (try? JSONParser.parse(text))?.objectValue else { return [:] }
        return object.compactMapValues(\.integerValue)
    }

    private static func text(_ vector: [String: Int64]) -> String {
        JSONValue.object(vector.mapValues { .integer($0) }).canonical
    }

    /// Records a log written for the peer: what it carried and when; the peer's row is made if new.
    public func recordExport(to code: String, vector: [String: Int64], at now: Int64, changes: Int) throws {
        try db.execute("""
            INSERT INTO peer (code, sent, last_export_at, exported_changes) VALUES (?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET sent = excluded.sent, last_export_at = excluded.last_export_at,
                                            exported_changes = peer.exported_changes + excluded.exported_changes
            """, [code, Self.text(vector), now, changes])
    }

    /// Records a log received from the peer: its vector is what it has, so what it acknowledges.
    public func recordImport(from code: String, vector: [String: Int64], at now: Int64, changes: Int) throws {
        try db.execute("""
            INSERT INTO peer (code, acked, last_import_at, imported_changes) VALUES (?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET acked = excluded.acked, last_import_at = excluded.last_import_at,
                                            imported_changes = peer.imported_changes + excluded.imported_changes
            """, [code, Self.text(vector), now, changes])
    }

    /// The serial of the last log written for the peer (0 for none) and the audit heads sent with the latest ones.
    public func sentAudit(to code: String) throws -> (serial: Int64, heads: String?) {
        let row = try db.first("SELECT export_serial, audit_sent FROM peer WHERE code = ?", [code])
        return (row?.int(0) ?? 0, row?.optionalString(1))
    }

    /// Records the serial and audit heads of a log just written for the peer (whose row exists).
    public func recordSentAudit(to code: String, serial: Int64, heads: String) throws {
        try db.execute("UPDATE peer SET export_serial = ?, audit_sent = ? WHERE code = ?", [serial, heads, code])
    }

    /// The audit head the peer's newest log showed: its serial, count and hash; nil when none is known.
    public func receivedAudit(from code: String) throws -> (serial: Int64, count: Int64, hash: String)? {
        guard let row = try db.first("SELECT audit_serial, audit_count, audit_hash FROM peer WHERE code = ?", [code]),
              let serial = row.optionalInt(0), let count = row.optionalInt(1), let hash = row.optionalString(2) else { return nil }
        return (serial, count, hash)
    }

    /// Remembers the audit head a peer's log showed; `rewound` also records when its log went back.
    public func recordReceivedAudit(from code: String, serial: Int64, count: Int64, hash: String, rewound: Bool, at now: Int64) throws {
        try db.execute("""
            UPDATE peer SET audit_serial = ?, audit_count = ?, audit_hash = ?, audit_rewound_at = CASE WHEN ? = 1 THEN ? ELSE audit_rewound_at END
            WHERE code = ?
            """, [serial, count, hash, rewound, now, code])
    }
}
