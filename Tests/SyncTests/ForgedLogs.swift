import Foundation
import Testing
import Models
import Storage
@testable import Sync

/// Change logs written by hand and signed with a trusted site's own key: what a peer whose database
/// (or program) was tampered with could send.
enum ForgedLog {
    /// A plaintext log from `signer` for `recipient` around `lines` (each a change line without its
    /// newline). `header` and `trailer` may rewrite those lines' bytes before the signature is made.
    static func bytes(from signer: Database, recipient: String?, lines: [[UInt8]], vector: [String: Int64] = ["ZZ": 1],
                      header: ([UInt8]) -> [UInt8] = { $0 }, trailer: ([UInt8]) -> [UInt8] = { $0 }) throws -> [UInt8] {
        let keys = try SiteKeys.ensure(signer)
        let site = try SiteRepository(signer).local()
        let made = ChangeLogHeader(formatVersion: SyncFormat.version, schemaVersion: try signer.schemaVersion(), site: site.code, siteID: site.id,
                                   keyID: keys.keyID, recipient: recipient, vector: vector, createdAt: 1, encapsulatedKey: nil)
        let headerLine = header(Array(made.json.canonical.utf8))
        var hash = SHA256Stream()
        var bytes = headerLine + [0x0A]
        for line in lines {
            hash.update(bytes: line + [0x0A])
            bytes += line + [0x0A]
        }
        let digest = hash.finalizeHex()
        let signature = try keys.sign(ChangeLogTrailer.signedMessage(headerLine: headerLine, count: lines.count, bodySHA256: digest, chunks: 0))
        bytes += trailer(Array(ChangeLogTrailer(count: lines.count, bodySHA256: digest, chunks: 0, signature: signature).json.canonical.utf8)) + [0x0A]
        return bytes
    }

    /// Writes a log into `folder` and imports it at `db`.
    @discardableResult
    static func importing(_ bytes: [UInt8], at db: Database, folder: URL) throws -> Importer.Summary {
        let path = folder.appendingPathComponent("forged-\(UUID().uuidString).jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try Importer(db).importFile(path)
    }

    /// A change from a site that never took part (`ZZ`), stamped `hlc`, as its canonical line.
    static func line(table: String, row: String, group: String, values: [String: JSONValue], hlc: HLC) -> [UInt8] {
        Array(Change(origin: "ZZ", hlc: hlc, table: table, rowID: row, group: group, values: values, previous: nil).line.utf8)
    }
}

/// Sessions that can sign notes in the sync tests: one passphrase hash, derived once for the whole
/// run and stored in each database that signs, so a test pays one scrypt, not one per site and signer.
enum TestSigning {
    static let passphrase = "sync test passphrase"
    static let derived: (hash: PassphraseHash, secrets: PassphraseSecrets)? = try? PassphraseKDF.hash(passphrase)

    /// A session of `handle` at `db` whose passphrase is known, as a clinician who just typed it.
    static func session(_ db: Database, handle: String, now: Int64) throws -> AuditedSession {
        let derived = try #require(Self.derived)
        let staff = try StaffRepository(db).require(handle)
        try db.execute("""
            INSERT INTO staff_secret (staff_id, log_n, r, p, salt, verifier, must_change, set_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING
            """, [staff.id, derived.hash.parameters.logN, derived.hash.parameters.r, derived.hash.parameters.p, derived.hash.salt,
                  derived.hash.verifier, now])
        let session = AuditedSession(db: db, handle: handle, now: now)
        session.prove(passphrase: passphrase, secrets: derived.secrets)
        return session
    }
}
