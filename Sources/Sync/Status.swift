import Models
import Storage

/// What `sync status` shows: this site's clock and content, each peer's sent and acknowledged
/// vectors, quarantined and pending changes.
public struct SyncStatus: Sendable {
    public struct Peer: Sendable {
        public var code: String
        public var sent: [String: Int64]
        public var acked: [String: Int64]
        public var lastExport: Int64?
        public var lastImport: Int64?
        public var exported: Int
        public var imported: Int
        /// Changes this site holds that the peer is not known to have.
        public var unacknowledged: Int
    }

    public struct Quarantined: Sendable {
        public var id: String
        public var origin: String
        public var hlc: HLC
        public var receivedFrom: String
    }

    public var site: String
    public var hlc: HLC
    public var vector: [String: Int64]
    public var changes: Int
    public var peers: [Peer]
    public var quarantine: [Quarantined]
    public var pending: Int
    public var openConflicts: Int

    public static func read(_ db: Database) throws -> SyncStatus {
        try db.read { db in
            let site = try SiteRepository(db).local()
            let vector = try Exporter.contentVector(db)
            var peers: [Peer] = []
            for row in try db.query("SELECT code, last_export_at, last_import_at, exported_changes, imported_changes FROM peer ORDER BY code") {
                let acked = try Exporter.peerVector(db, code: row.string(0), column: "acked")
                var missing = 0
                for (origin, newest) in vector {
                    missing += Int(try db.first("SELECT COUNT(*) FROM change WHERE origin = ? AND hlc > ? AND hlc <= ?",
                                                [origin, acked[origin] ?? 0, newest])?.int(0) ?? 0)
                }
                peers.append(Peer(code: row.string(0), sent: try Exporter.peerVector(db, code: row.string(0), column: "sent"), acked: acked,
                                  lastExport: row.optionalInt(1), lastImport: row.optionalInt(2), exported: Int(row.int(3)),
                                  imported: Int(row.int(4)), unacknowledged: missing))
            }
            let quarantine = try db.query("SELECT change_id, origin, hlc, received_from FROM quarantine ORDER BY hlc").map {
                Quarantined(id: $0.string(0), origin: $0.string(1), hlc: HLC(rawValue: $0.int(2)), receivedFrom: $0.string(3))
            }
            return SyncStatus(site: site.code, hlc: try ChangeCapture.currentHLC(db), vector: vector,
                              changes: Int(try db.first("SELECT COUNT(*) FROM change WHERE change_id IS NOT NULL")?.int(0) ?? 0),
                              peers: peers, quarantine: quarantine,
                              pending: Int(try db.first("SELECT COUNT(*) FROM pending_row")?.int(0) ?? 0),
                              openConflicts: try ConflictBook(db).list().count)
        }
    }
}

/// Admin release of changes held because they were stamped too far in the future.
public struct QuarantineDesk {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Applies one quarantined change (by id prefix) or all of them now.
    package func accept(id: String?) throws -> Importer.Summary {
        try db.write { db in
            try ChangeCapture.setApplying(db, true)
            let rows = try db.query("SELECT change_id, line FROM quarantine ORDER BY hlc")
            let chosen = rows.filter { id == nil || $0.string(0).hasPrefix(id?.lowercased() ?? "") }
            guard !chosen.isEmpty else { throw ClinicError.notFound("quarantined change") }
            if let id, chosen.count > 1 { throw ClinicError(.ambiguous, "more than one quarantined change starts with \(id)") }
            var batch = try ChangeBatch(db: db, from: "quarantine", now: db.clock.nowMillis())
            for row in chosen {
                guard let value = try? JSONParser.parse(row.string(1)) else { continue }
                try db.execute("DELETE FROM quarantine WHERE change_id = ?", [row.string(0)])
                let parsed = try ChangeLine.parse(value, line: 0)
                try batch.receive(parsed.change, claimedID: parsed.claimedID, line: 0, force: true)
            }
            let summary = try batch.finish(header: nil)
            try ChangeCapture.setApplying(db, false)
            return summary
        }
    }
}
