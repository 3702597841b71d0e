import Foundation
import Models
import Storage

/// Writes change logs: everything the recipient is not known to have, or everything with `full`.
public struct Exporter {
    let db: Database
    /// Hears how many changes have been written of how many, now and then (a progress bar).
    public var progress: ProgressReport?
    /// Changes between two progress reports.
    static let progressEvery = 4_096

    public init(_ db: Database) { self.db = db }

    public struct Summary: Sendable {
        public var changes: Int
        public var recipient: String?
        public var vector: [String: Int64]
        public var bodySHA256: String
    }

    /// Streams the log to `target` through `ExportFile` (never the database, never an existing file
    /// unless the target allows it; a crash never leaves half a file). Every log is signed with this
    /// site's key and carries its audit head; unless `plaintext`, the body is sealed for the recipient.
    package func export(to target: ExportTarget, recipient: String?, full: Bool, plaintext: Bool = false) throws -> Summary {
        let local = try SiteRepository(db).local()
        if let recipient {
            guard recipient != local.code else { throw ClinicError(.invalidSite, "\(.recipient) names this site itself") }
            guard SiteCode.isValid(recipient) else { throw ClinicError(.invalidSiteCode, "\(.recipient) must be a site code such as QC") }
        }
        var sealer: ChunkSealer?
        if !plaintext {
            guard let recipient else { throw ClinicError(.recipientRequired, "an encrypted log needs \(.recipient)") }
            guard let trusted = try TrustStore(db).active(recipient) else {
                throw ClinicError(.untrustedSite, "site \(recipient) is not trusted here: record its key with 'clinic sync trust --site \(recipient) --key …'")
            }
            sealer = try ChunkSealer(recipientKey: trusted.agreementKey, recipient: recipient)
        }
        let keys = try SiteKeys.ensure(db)
        let now = db.clock.nowMillis()
        let file = try ExportFile(target, protecting: db)

        // For a site, a write: the log's vector and audit head are recorded for it as it is written. For
        // nobody, a read: nothing is recorded, and no booking waits while the file streams.
        let writeLog = { (db: Database) throws -> Summary in
            let peers = PeerStore(db)
            let vector = try ChangeLogStore(db).contentVector()
            let acked = (full || recipient == nil) ? [:] : try peers.acknowledgedVector(recipient ?? "")
            let audit = try AuditContinuity.claim(db, recipient: recipient)
            let header = ChangeLogHeader(formatVersion: SyncFormat.version, schemaVersion: try db.schemaVersion(), site: local.code,
                                         siteID: local.id, keyID: keys.keyID, recipient: recipient, vector: vector, createdAt: now,
                                         encapsulatedKey: sealer?.encapsulatedKey.base64EncodedString(), audit: audit)
            let headerLine = header.json.canonical
            try file.write(headerLine + "\n")
            var hash = SHA256Stream()
            var count = 0
            var line: [UInt8] = []
            line.reserveCapacity(1_024)
            // Counted only when someone watches: a second pass over the index the export reads anyway.
            let total = try progress.map { _ in
                try vector.keys.reduce(0) { sum, origin in sum + (try ChangeLogStore(db).count(from: origin, after: acked[origin] ?? 0, upTo: .max)) }
            }
            for origin in vector.keys.sorted() {
                try ChangeLogStore(db).eachChange(from: origin, after: acked[origin] ?? 0) { row in
                    line.removeAll(keepingCapacity: true)
                    Self.appendLine(row, to: &line)
                    line.append(0x0A)
                    line.withUnsafeBytes { hash.update(bufferPointer: $0) }
                    if sealer != nil {
                        if let chunk = try sealer?.add(line) { try file.write(chunk) }
                    } else {
                        try file.write(line)
                    }
                    count += 1
                    if count % Self.progressEvery == 0 { progress?(count, total) }
                }
            }
            progress?(count, total)
            if let last = try sealer?.finish() { try file.write(last) }
            let bodyHash = hash.finalizeHex()
            let chunks = sealer?.chunks ?? 0
            let signature = try keys.sign(ChangeLogTrailer.signedMessage(headerLine: Array(headerLine.utf8), count: count, bodySHA256: bodyHash, chunks: chunks))
            try file.write(ChangeLogTrailer(count: count, bodySHA256: bodyHash, chunks: chunks, signature: signature).json.canonical + "\n")
            try file.commit()
            if let recipient {
                try peers.recordExport(to: recipient, vector: vector, at: now, changes: count)
                try AuditContinuity.recordSent(db, recipient: recipient, claim: audit)
            }
            return Summary(changes: count, recipient: recipient, vector: vector, bodySHA256: bodyHash)
        }
        return try recipient == nil ? db.read(writeLog) : db.write(writeLog)
    }

    /// Appends the canonical line of a stored change (keys in sorted order; `vals` is stored canonical),
    /// built from the columns' bytes as SQLite holds them: no string per field on the way out.
    static func appendLine(_ row: Cursor, to line: inout [UInt8]) {
        func member(_ name: StaticString, _ column: Int32) {
            appendName(name, to: &line)
            row.withText(column) { JSONBytes.appendString($0, to: &line) }
        }
        member("{\"group\":", 5)
        appendName(",\"hlc\":", to: &line)
        JSONBytes.appendInteger(row.int(2), to: &line)
        member(",\"id\":", 0)
        member(",\"origin\":", 1)
        appendName(",\"prev\":", to: &line)
        if row.isNull(7) { appendName("null", to: &line) } else { row.withText(7) { JSONBytes.appendString($0, to: &line) } }
        member(",\"row\":", 4)
        member(",\"table\":", 3)
        appendName(",\"values\":", to: &line)
        row.withText(6) { line.append(contentsOf: $0) }
        line.append(UInt8(ascii: "}"))
    }

    private static func appendName(_ text: StaticString, to line: inout [UInt8]) {
        text.withUTF8Buffer { line.append(contentsOf: $0) }
    }

    /// Per origin, the newest change this site holds.
    public static func contentVector(_ db: Database) throws -> [String: Int64] {
        try ChangeLogStore(db).contentVector()
    }
}
