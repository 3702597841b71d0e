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
        /// The origin site's zone, to show its stamp in (nil when the site is not known here yet).
        public var originZone: String? = nil
    }

    public var site: String
    /// This site's IANA zone, in which its own times are shown.
    public var zone: String
    public var hlc: HLC
    public var vector: [String: Int64]
    public var changes: Int
    public var peers: [Peer]
    public var quarantine: [Quarantined]
    public var pending: Int
    public var openConflicts: Int
    /// Bookings at this site cancelled by a conflict resolution since the last look (`ResolutionMarks.takeUnseen`).
    public var cancelledByResolution: [AppointmentRecord] = []

    public static func read(_ db: Database) throws -> SyncStatus {
        try db.read { db in
            let site = try SiteRepository(db).local()
            let log = ChangeLogStore(db), store = PeerStore(db)
            let vector = try log.contentVector()
            var peers: [Peer] = []
            for peer in try store.all() {
                let acked = try store.acknowledgedVector(peer.code)
                var missing = 0
                for (origin, newest) in vector { missing += try log.count(from: origin, after: acked[origin] ?? 0, upTo: newest) }
                peers.append(Peer(code: peer.code, sent: try store.sentVector(peer.code), acked: acked, lastExport: peer.lastExport,
                                  lastImport: peer.lastImport, exported: peer.exported, imported: peer.imported, unacknowledged: missing))
            }
            let sites = SiteRepository(db)
            let quarantine = try QuarantineStore(db).all().map {
                Quarantined(id: $0.changeID, origin: $0.origin, hlc: HLC(rawValue: $0.hlc), receivedFrom: $0.receivedFrom,
                            originZone: (try? sites.require(code: $0.origin))?.timeZone)
            }
            return SyncStatus(site: site.code, zone: site.timeZone, hlc: try ChangeCapture.currentHLC(db), vector: vector, changes: try log.count(),
                              peers: peers, quarantine: quarantine, pending: try PendingRowStore(db).count(),
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
            let quarantine = QuarantineStore(db)
            let chosen = try quarantine.all().filter { id == nil || $0.changeID.hasPrefix(id?.lowercased() ?? "") }
            guard !chosen.isEmpty else { throw ClinicError.notFound("quarantined change") }
            if let id, chosen.count > 1 { throw ClinicError(.ambiguous, "more than one quarantined change starts with \(id)") }
            var batch = try ChangeBatch(db: db, from: "quarantine", now: db.clock.nowMillis())
            for held in chosen {
                guard let value = try? JSONParser.parse(held.line) else { continue }
                try quarantine.release(changeID: held.changeID)
                let parsed = try ChangeLine.parse(value, line: 0)
                try batch.receive(parsed.change, claimedID: parsed.claimedID, line: 0, force: true)
            }
            let summary = try batch.finish(header: nil)
            try ChangeCapture.setApplying(db, false)
            return summary
        }
    }
}
