import Crypto
import Foundation
import Models
import Storage

/// Reads change logs: checks the header, streams and hashes every change, applies the file in one
/// transaction (all or nothing), skips what was already seen, and finds conflicts LWW cannot fix.
public struct Importer {
    let db: Database
    /// Touched rows per merge while importing (see `ChangeBatch`); tests make it small to exercise chunking.
    public var mergeEvery = Importer.defaultMergeEvery
    public static let defaultMergeEvery = 4_096
    /// Rows an import inserts, and changes the rest of its file must still bring, before the bulk
    /// tables' secondary indexes are set aside (`SetAsideIndexes`); tests make it small to exercise that path.
    public var setAsideMinimum = Importer.defaultSetAsideMinimum
    public static let defaultSetAsideMinimum = 1_000
    /// SQLite page cache while importing, in KiB (peak memory stays well under 200 MB).
    static let cacheKiB = 65_536
    /// Hears how many of the file's changes have been read, now and then (a progress bar).
    public var progress: ProgressReport?

    public init(_ db: Database) { self.db = db }

    public struct Summary: Sendable, Equatable {
        public var from: String
        public var applied: Int
        public var alreadySeen: Int
        public var conflicts: Int
        public var quarantined: Int
        public var pending: Int
        /// True when the sender's audit log no longer extends the head it showed this site before
        /// (`AuditContinuity`): recorded for `doctor`; the import itself still applies.
        public var auditRewound = false
    }

    /// Checks, in docs/CLI.md's order: unparseable, truncated or newer (65 `bad-file`); unknown or revoked
    /// signer (1 `untrusted-site`); signature (1 `bad-signature`); another recipient (1
    /// `not-for-this-site`); then, while applying in one transaction, each chunk and the body hash (65).
    package func importFile(_ path: String) throws -> Summary {
        let reader = try LineReader(path: path)
        let local = try SiteRepository(db).local()
        let file = try frame(reader, path: path)
        try checkTrust(file, localCode: local.code)
        let opener = try opener(for: file.header, localCode: local.code, chunks: file.trailer.chunks)
        return try withImportCache {
            // The body is read, hashed and checked on a thread of its own while this one writes.
            let body = BodyReader(reader: reader, opener: opener)
            defer { body.stop() }
            return try apply(body, of: file)
        }
    }

    /// A change log's first and last lines, read before its body.
    struct Framing {
        let headerLine: [UInt8]
        let header: ChangeLogHeader
        let trailer: ChangeLogTrailer
    }

    /// Reads the header line and the trailer: an empty or truncated file, or a header this site
    /// cannot read, is `bad-file`.
    private func frame(_ reader: LineReader, path: String) throws -> Framing {
        guard let first = try reader.next() else { throw SyncError.badFile("the file is empty") }
        guard first.endsWithNewline else { throw SyncError.badFile("the file is truncated", line: 1) }
        let header = try ChangeLogHeader.parse(first.bytes, localSchema: try db.schemaVersion())
        return Framing(headerLine: Array(first.bytes), header: header, trailer: try Self.trailer(path))
    }

    /// Refuses a log this site wrote, one from a site not trusted here (or under another key), one
    /// whose signature does not verify, and an incremental log written for another site.
    private func checkTrust(_ file: Framing, localCode: String) throws {
        let header = file.header, trailer = file.trailer
        guard header.site != localCode else { throw ClinicError(.ownFile, "this change log was written by this site") }
        guard let signer = try TrustStore(db).active(header.site), signer.keyID == header.keyID else {
            throw ClinicError(.untrustedSite, "change logs from site \(header.site) are not trusted here (unknown or revoked key)")
        }
        let message = ChangeLogTrailer.signedMessage(headerLine: file.headerLine, count: trailer.count, bodySHA256: trailer.bodySHA256,
                                                     chunks: trailer.chunks)
        guard let signature = trailer.signature.flatMap(StrictBase64.decode),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signer.signingKey),
              key.isValidSignature(signature, for: Data(message.utf8)) else {
            throw ClinicError(.badSignature, "the change log's signature does not verify; nothing was imported")
        }
        if let recipient = header.recipient, recipient != localCode {
            // An incremental log holds only what its recipient lacked; applied elsewhere it would leave holes.
            throw ClinicError(.notForThisSite, "this change log was written for site \(recipient), not \(localCode)")
        }
    }

    /// What opens an encrypted body with this site's key; nil for a plaintext log.
    private func opener(for header: ChangeLogHeader, localCode: String, chunks: Int) throws -> ChunkOpener? {
        guard let enc = header.encapsulatedKey else { return nil }
        guard let encapsulated = StrictBase64.decode(enc) else { throw SyncError.badFile("invalid encryption key", line: 1) }
        let keys = try SiteKeys.ensure(db)
        do {
            return try ChunkOpener(privateKey: keys.agreement, encapsulatedKey: encapsulated, recipient: localCode, total: chunks)
        } catch {
            throw SyncError.badFile("the encrypted body cannot be opened with this site's key")
        }
    }

    /// Runs `body` with a page cache large enough for an import. A large file dirties far more pages
    /// than SQLite's default 2 MB cache holds; a bigger cache keeps them from being spilled to the WAL
    /// and read back again mid-transaction.
    private func withImportCache<T>(_ body: () throws -> T) throws -> T {
        let tuning = ImportTuningStore(db)
        try tuning.setCacheSize(-Int64(Self.cacheKiB))
        defer { try? tuning.setCacheSize(-2000) }
        return try body()
    }

    /// Stores and merges the body's changes in one transaction, all or nothing: a body that does not
    /// match its trailer, or a change whose clinician signature does not verify, undoes everything.
    private func apply(_ body: BodyReader, of file: Framing) throws -> Summary {
        try db.write { db in
            // PostgreSQL: imports one at a time, and the double-booking constraints checked at COMMIT.
            try ImportTuningStore(db).beginImport()
            let storedBefore = try ChangeLogStore(db).lastSeq()
            try ChangeCapture.setApplying(db, true)
            var batch = try ChangeBatch(db: db, from: file.header.site, now: db.clock.nowMillis(), mergeEvery: mergeEvery)
            batch.setAsidePlan = (file.trailer.count, setAsideMinimum)
            var bodySHA256: String?
            while let items = body.next() {
                for item in items {
                    switch item {
                    case .change(let read): try batch.receive(read)
                    case .end(let sha256): bodySHA256 = sha256
                    case .failure(let error): throw error
                    }
                }
                body.recycle(items)
                progress?(batch.received, file.trailer.count)
            }
            guard file.trailer.count == batch.received, file.trailer.bodySHA256 == bodySHA256 else {
                throw SyncError.badFile("the body does not match its checksum")
            }
            let summary = try batch.finish(header: file.header)
            // Checked after the body hash: a damaged file is `bad-file`, whatever its signatures.
            try ImportedSignatures.verify(db, storedAfter: storedBefore)
            try ChangeCapture.setApplying(db, false)
            return summary
        }
    }

    static let trailerPrefix = Array("{\"trailer\"".utf8)

    /// The last line of the file, which must be a trailer; read from the end, not by scanning.
    static func trailer(_ path: String) throws -> ChangeLogTrailer {
        guard let file = fopen(path, "rb") else { throw ClinicError(.unreadable, "cannot open the change-log file \(path)") }
        defer { fclose(file) }
        guard fseeko(file, 0, SEEK_END) == 0 else { throw SyncError.badFile("the file cannot be read") }
        let size = Int(ftello(file))
        let window = min(64 * 1024, size)
        guard window > 0, fseeko(file, off_t(size - window), SEEK_SET) == 0 else { throw SyncError.badFile("the file is truncated (no trailer)") }
        var bytes = [UInt8](repeating: 0, count: Int(window))
        guard fread(&bytes, 1, bytes.count, file) == bytes.count, bytes.last == 0x0A else {
            throw SyncError.badFile("the file is truncated (no trailer)")
        }
        let body = bytes.dropLast()
        let start = (body.lastIndex(of: 0x0A).map { $0 + 1 }) ?? body.startIndex
        let line = body[start...]
        guard line.starts(with: trailerPrefix) else { throw SyncError.badFile("the file is truncated (no trailer)") }
        return try ChangeLogTrailer.parse(line: line)
    }
}

/// The changes of one import (or one quarantine release) on their way into the database.
///
/// Rows are merged every `mergeEvery` touched rows rather than all at the end, while the values just
/// read are still in memory (`fresh`) and their pages still in SQLite's cache; what one merge leaves
/// pending (a parent not yet here) is retried by the last one. Memory stays bounded by the chunk.
struct ChangeBatch {
    let db: Database
    let from: String
    let now: Int64
    var received = 0
    var applied = 0
    var alreadySeen = 0
    var quarantined = 0
    var newest = HLC.zero
    var touched: Set<Merger.RowKey> = []
    var merger: Merger
    let detector: ConflictDetector
    /// The file's change count and the import's `setAsideMinimum`: once this import has inserted that
    /// many rows from their runs, the bulk tables' indexes are set aside if the rest of the file is large
    /// enough. Decided once; nil for a batch that never sets them aside. (Decided on rows inserted, not
    /// on the file's size, so that a file seen before, which inserts nothing, never rebuilds an index.)
    var setAsidePlan: (incoming: Int, minimum: Int)?
    private var insertedRows = 0
    /// The bulk tables' indexes, when this import set them aside; the conflict checks then wait.
    var setAside = SetAsideIndexes()
    /// Rows merged while the conflict checks wait (the rows inserted from their runs are found by
    /// rowid instead); once `waitingLimit` wait, the indexes are built again, which bounds the memory.
    var waiting: Set<Merger.RowKey> = []
    var waitingLimit = ChangeBatch.defaultWaitingLimit
    static let defaultWaitingLimit = 50_000
    /// Values of the changes stored since the last merge, by their row in `change`, so the merge need not parse them again.
    var fresh: [Int64: [String: JSONValue]] = [:]
    /// Per origin, what `isStored` knows of its stamps; the origin of the last change is kept
    /// apart in `current`, as a file holds long stretches of one origin's changes.
    var origins: [String: OriginStamps] = [:]
    var current: (origin: String, stamps: OriginStamps)?
    /// The changes of the row the last lines named, while consecutive lines keep naming it.
    var run: Merger.Run?
    let mergeEvery: Int
    private let lookups: ChangeLogStore.ImportLookups
    private let insert: ChangeInsert
    private let quarantine: QuarantineStore

    init(db: Database, from: String, now: Int64, mergeEvery: Int = Importer.defaultMergeEvery) throws {
        self.db = db
        self.mergeEvery = max(1, mergeEvery)
        self.from = from
        self.now = now
        merger = try Merger(db: db, now: now)
        detector = try ConflictDetector(db: db, now: now)
        lookups = try ChangeLogStore.ImportLookups(db)
        insert = try ChangeInsert(db)
        quarantine = QuarantineStore(db)
    }

    /// Sets the bulk tables' indexes aside for the `incoming` changes still to come, when they are
    /// enough (`SetAsideIndexes.tables`). The checks of what is merged already run first, while the
    /// indexes are here.
    mutating func setAsideIndexes(incoming: Int, minimum: Int) throws {
        let tables = try SetAsideIndexes.tables(db, incoming: incoming, minimum: minimum)
        guard !tables.isEmpty else { return }
        try merge(final: false)
        setAside = try SetAsideIndexes.setAside(db, tables: tables, checked: ConflictDetector.checkedTables)
    }

    /// True when the change is already stored here, looked up by its table, row, group and stamp.
    /// The lookup is skipped when the stamp is newer than anything stored from its origin, and a
    /// change sharing the newest stamp stored by this import is looked up in memory.
    mutating func isStored(_ id: String, origin: String, hlc: Int64, table: String, row: String, group: String) throws -> Bool {
        let stamps = try self.stamps(origin)
        if hlc > stamps.newestStored { return false }
        if hlc == stamps.newestStored, hlc > stamps.newestBefore { return stamps.idsAtNewest.contains(id) }
        return try lookups.isStored(table: table, row: row, group: group, hlc: hlc, id: id)
    }

    /// `isStored` for a parsed change claiming `id`.
    mutating func isStored(_ id: String, of change: Change) throws -> Bool {
        try isStored(id, origin: change.origin, hlc: change.hlc.rawValue, table: change.table, row: change.rowID, group: change.group)
    }

    /// What is known of an origin's stamps, read from the database the first time; it becomes `current`.
    private mutating func stamps(_ origin: String) throws -> OriginStamps {
        if let current, current.origin == origin { return current.stamps }
        if let current { origins[current.origin] = current.stamps }
        let stamps: OriginStamps
        if let known = origins[origin] {
            stamps = known
        } else {
            stamps = OriginStamps(newestBefore: try lookups.newestStamp(from: origin) ?? Int64.min)
        }
        current = (origin, stamps)
        return stamps
    }

    /// Notes a stored change for `isStored`.
    private mutating func noteStored(_ id: String, origin: String, hlc: Int64) throws {
        _ = try stamps(origin)
        current?.stamps.note(id, hlc: hlc)
    }

    /// Takes a change the reading thread read and checked: skipped cheaply when already seen, else stored.
    mutating func receive(_ ready: ReadyChange) throws {
        received += 1
        if try isStored(ready.id, origin: ready.origin, hlc: ready.hlc.rawValue, table: ready.table, row: ready.rowID, group: ready.group) {
            alreadySeen += 1
            return
        }
        try store(ready, force: false)
    }

    /// Stores one received change unless already seen or too far in the future.
    mutating func receive(_ change: Change, claimedID: String, line: Int, force: Bool = false) throws {
        received += 1
        if try isStored(claimedID, of: change) {
            alreadySeen += 1
            return
        }
        guard change.id == claimedID else { throw SyncError.badFile("a change was edited (its id does not match its content)", line: line) }
        try store(ReadyChange(change, id: claimedID), force: force)
    }

    private mutating func store(_ change: ReadyChange, force: Bool) throws {
        let id = change.id
        if !force, change.hlc.isTooFarAhead(of: now) {
            try quarantine.hold(changeID: id, line: change.change.line, hlc: change.hlc.rawValue, origin: change.origin, receivedFrom: from, at: now)
            quarantined += 1
            return
        }
        // A deletion's foreign-key check reads the indexes of the rows that may point at it.
        if setAside.isActive, change.group == SyncSchema.deletionGroup { try restoreIndexes() }
        if run?.key.names(table: change.table, rowID: change.rowID) != true {
            try closeRun()
            let key = Merger.RowKey(table: change.table, rowID: change.rowID)
            // Asked before this change is stored: did anything stored here, or waiting in this chunk, name the row?
            var isNew = touched.isEmpty || !touched.contains(key)
            if isNew { isNew = try !lookups.rowHasChanges(table: change.table, row: change.rowID) }
            run = Merger.Run(key: key, isNew: isNew)
        }
        let seq = try insert.store(change.changeRow, in: db)
        try noteStored(id, origin: change.origin, hlc: change.hlc.rawValue)
        if let previous = change.previous, SyncSchema.table(change.table)?.merge == .lastWriterWins {
            var others: [String] = []
            try lookups.siblings(table: change.table, row: change.rowID, group: change.group, previous: previous, excluding: id) { other, values in
                if values != change.values { others.append(other) }
            }
            for other in others { try merger.recordConflict(kind: "concurrent-edit", table: change.table, a: other, b: id, row: change.rowID) }
        }
        newest = max(newest, change.hlc)
        run?.changes.append(Merger.Run.Stored(ready: change, seq: seq))
        applied += 1
    }

    /// Ends the current run: a new row whose run holds all of it goes straight in; any other row
    /// joins the chunk for the general merge, with the values just read.
    private mutating func closeRun() throws {
        guard let run else { return }
        self.run = nil
        if try !merger.applyNew(run) {
            for stored in run.changes { fresh[stored.seq] = stored.ready.valuesByColumn }
            touched.insert(run.key)
        } else if let plan = setAsidePlan {
            insertedRows += 1
            if insertedRows >= plan.minimum {
                setAsidePlan = nil
                try setAsideIndexes(incoming: plan.incoming - received, minimum: plan.minimum)
            }
        }
        // Rows inserted from their runs count toward the chunk too: their conflict checks run with it.
        if touched.count + merger.appliedKeys.count + merger.insertedNew.count >= mergeEvery { try merge(final: false) }
    }

    /// Merges the rows touched since the last merge and looks for semantic conflicts among them
    /// (and among the rows inserted from their runs). The final merge also retries every row still pending.
    private mutating func merge(final: Bool) throws {
        if final { try closeRun() }
        try merger.apply(touched, fresh: fresh, retryPending: final)
        if setAside.isActive {
            waiting.formUnion(touched)
            waiting.formUnion(merger.appliedKeys)
            if final || waiting.count >= waitingLimit { try restoreIndexes() }
        } else {
            // A row inserted from its run and merged again from a later run is checked twice, to no effect
            // (a conflict is recorded once); rows of new runs are not hashed to rule that out.
            try detector.detect(touched: Array(touched.union(merger.appliedKeys)), inserted: merger.insertedNew, recorder: &merger)
        }
        touched.removeAll(keepingCapacity: true)
        fresh.removeAll(keepingCapacity: true)
        merger.forgetApplied()
    }

    /// Builds the set-aside indexes again and runs the conflict checks that waited for them: on the
    /// rows merged meanwhile and on every row inserted since the indexes went (rowids above the marks).
    private mutating func restoreIndexes() throws {
        try setAside.restore(db)
        try detector.detect(touched: Array(waiting), recorder: &merger)
        try detector.detect(insertedAfter: setAside.marks, recorder: &merger)
        waiting.removeAll()
    }

    /// Applies what arrived, releases quarantined changes whose time has come, finds semantic
    /// conflicts, and records the sender's acknowledgement and audit head.
    mutating func finish(header: ChangeLogHeader?) throws -> Importer.Summary {
        for line in try quarantine.lines(stampedUpTo: now + HLC.maximumDriftMillis) {
            if let value = try? JSONParser.parse(line), let parsed = try? ChangeLine.parse(value, line: 0) {
                try quarantine.release(changeID: parsed.claimedID)
                try receive(parsed.change, claimedID: parsed.claimedID, line: 0, force: true)
            }
        }
        try merge(final: true)
        if newest > .zero { try ChangeCapture.receive(db, newest) }
        if let header { try PeerStore(db).recordImport(from: header.site, vector: header.vector, at: now, changes: applied) }
        let rewound = try header.map { try AuditContinuity.receive(db, from: $0.site, claim: $0.audit, now: now) } ?? false
        let pending = try PendingRowStore(db).count()
        return Importer.Summary(from: from, applied: applied, alreadySeen: alreadySeen, conflicts: merger.newConflicts,
                                quarantined: quarantined, pending: pending, auditRewound: rewound)
    }
}

/// What an import knows of one origin's stamps, so that most changes need no lookup to tell
/// whether they are already stored.
struct OriginStamps {
    /// The largest HLC stored here from the origin before this import began.
    let newestBefore: Int64
    /// The largest HLC stored here from the origin; a change stamped later cannot be here yet
    /// (changes arrive mostly in stamp order, so most need no lookup).
    private(set) var newestStored: Int64
    /// The ids this import stored at `newestStored`. The changes of one commit share a stamp; a
    /// stamp newer than `newestBefore` can only be here through this list.
    private(set) var idsAtNewest = IDList()

    init(newestBefore: Int64) {
        self.newestBefore = newestBefore
        newestStored = newestBefore
    }

    mutating func note(_ id: String, hlc: Int64) {
        if hlc > newestStored {
            newestStored = hlc
            idsAtNewest.removeAll()
            idsAtNewest.insert(id)
        } else if hlc == newestStored {
            idsAtNewest.insert(id)
        }
    }
}

/// A set of change ids that is nearly always tiny (the changes of one commit): searched in a short
/// list without hashing, and hashed only once it grows.
struct IDList {
    private var few: [String] = []
    private var many: Set<String>?
    static let listLimit = 16

    func contains(_ id: String) -> Bool { many?.contains(id) ?? few.contains(id) }

    mutating func insert(_ id: String) {
        if many != nil {
            many?.insert(id)
        } else if few.count < Self.listLimit {
            if !few.contains(id) { few.append(id) }
        } else {
            many = Set(few + [id])
            few.removeAll()
        }
    }

    mutating func removeAll() {
        few.removeAll(keepingCapacity: true)
        many = nil
    }
}
