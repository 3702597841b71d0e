import Foundation
import Models
@testable import Storage
@testable import Sync
import Testing

@Suite("Clinicians' signatures travel with their notes and are checked on import")
struct ClinicianSignatureSyncTests {
    /// Every change stored at `db`, as change-log lines, oldest first; `edit` may rewrite a change's values.
    static func lines(of db: Database, edit: (String, String, [String: JSONValue]) -> [String: JSONValue] = { $2 }) throws -> [[UInt8]] {
        try db.query("SELECT origin, hlc, tbl, row_id, grp, vals, prev FROM change WHERE change_id IS NOT NULL ORDER BY hlc, origin, seq").map { row in
            let values = try #require(try JSONParser.parse(row.string(5)).objectValue)
            let change = Change(origin: row.string(0), hlc: HLC(rawValue: row.int(1)), table: row.string(2), rowID: row.string(3),
                                group: row.string(4), values: edit(row.string(2), row.string(4), values), previous: row.optionalString(6))
            return Array(change.line.utf8)
        }
    }

    @Test("a note signed with the clinician's own key verifies at a second site after sync")
    func verifiesAfterSync() throws {
        let fixture = try SignedNoteFixture(siteCount: 2, receivers: [1])
        for site in [0, 1] {
            let note = try fixture.note(at: site)
            #expect(note.signature?.method == .ed25519, "site \(site)")
            #expect(note.signature?.verified == true, "site \(site)")
            #expect(note.signature?.keyID?.hasPrefix("ed25519:") == true)
        }
        let keys = try fixture.network.sites[1].query("SELECT site_code, retired_at FROM staff_key").map { [$0.string(0), $0.optionalString(1) ?? "-"] }
        #expect(keys == [[fixture.network.codes[0], "-"]], "the public key came with the note")
        #expect(try fixture.network.sites[1].first("SELECT COUNT(*) FROM sealed_key")?.int(0) == 0, "private keys never leave their site")
        #expect(try fixture.network.sites[1].first("SELECT COUNT(*) FROM staff_secret")?.int(0) == 0, "passphrase hashes never leave their site")
    }

    @Test("a change log carrying a forged note signature is refused (bad-note-signature) and changes nothing; the true log imports")
    func forgedSignatureRefused() throws {
        let fixture = try SignedNoteFixture(siteCount: 3, receivers: [])
        let network = fixture.network
        let signer = network.sites[0]
        let forged = try Self.lines(of: signer) { table, group, values in
            guard table == "note", group == "signature", values["status"]?.stringValue == "signed",
                  let content = values["signed_content"]?.stringValue, var members = try? JSONParser.parse(content).objectValue else { return values }
            members["subjective"] = .string("Rewritten, with the old signature kept")
            var changed = values
            changed["signed_content"] = .string(JSONValue.object(members).canonical)
            return changed
        }
        let vector = [network.codes[0]: try #require(try signer.first("SELECT MAX(hlc) FROM change")?.int(0))]
        let before = try Digest.compute(network.sites[1])
        let refused = try ForgedLog.bytes(from: signer, recipient: network.codes[1], lines: forged, vector: vector)
        #expect(throws: ImportedSignatures.refusal) {
            try ForgedLog.importing(refused, at: network.sites[1], folder: network.folder)
        }
        #expect(try Digest.compute(network.sites[1]) == before, "nothing of the refused file was applied")
        #expect(try network.sites[1].first("SELECT COUNT(*) FROM note")?.int(0) == 0)

        // A hash-only signature from a clinician who had a key then is a downgrade, refused the same way.
        let downgraded = try Self.lines(of: signer) { table, group, values in
            guard table == "note", group == "signature", values["status"]?.stringValue == "signed",
                  let content = values["signed_content"]?.stringValue, var members = try? JSONParser.parse(content).objectValue else { return values }
            members.removeValue(forKey: "signature")
            var changed = values
            changed["signed_content"] = .string(JSONValue.object(members).canonical)
            return changed
        }
        let stripped = try ForgedLog.bytes(from: signer, recipient: network.codes[2], lines: downgraded, vector: vector)
        #expect(throws: ClinicError.self) { try ForgedLog.importing(stripped, at: network.sites[2], folder: network.folder) }

        let genuine = try ForgedLog.bytes(from: signer, recipient: network.codes[1], lines: try Self.lines(of: signer), vector: vector)
        try ForgedLog.importing(genuine, at: network.sites[1], folder: network.folder)
        #expect(try fixture.note(at: 1).signature?.verified == true)
    }

    @Test("after a key has arrived, a later log that swaps its public key, un-retires it or deletes it is refused and changes nothing")
    func keyTampering() throws {
        let fixture = try SignedNoteFixture(siteCount: 2, receivers: [])
        let network = fixture.network
        let signer = network.sites[0], receiver = network.sites[1]
        let top = try #require(try signer.first("SELECT MAX(hlc) FROM change")?.int(0))
        let genuine = try ForgedLog.bytes(from: signer, recipient: network.codes[1], lines: try Self.lines(of: signer), vector: [network.codes[0]: top])
        try ForgedLog.importing(genuine, at: receiver, folder: network.folder)
        #expect(try fixture.note(at: 1).signature?.verified == true)
        let key = try #require(try receiver.first("SELECT id, staff_id, site_code, key_id, public_key, created_at FROM staff_key"))
        let attacker = ClinicianPrivateKey.generate()
        func later(_ group: String, _ values: [String: JSONValue]) -> [UInt8] {
            Array(Change(origin: network.codes[0], hlc: HLC(rawValue: top + 1_000), table: "staff_key", rowID: key.string(0), group: group,
                         values: values, previous: nil).line.utf8)
        }
        let details: [String: JSONValue] = ["staff_id": .string(key.string(1)), "site_code": .string(key.string(2)), "key_id": .string(key.string(3)),
                                            "public_key": .string(attacker.publicKey), "created_at": .integer(key.int(5))]
        var forged = details
        forged["key_id"] = .string(attacker.keyID)
        try receiver.execute("UPDATE sync_state SET applying = 1")
        try receiver.execute("UPDATE staff_key SET retired_at = ?", [top])
        try receiver.execute("INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals) VALUES ('x', ?, ?, 'staff_key', ?, 'retired', ?)",
                             [network.codes[0], top + 1, key.string(0), JSONValue.object(["retired_at": .integer(top)]).canonical])
        try receiver.execute("UPDATE sync_state SET applying = 0")
        let before = try Digest.compute(receiver)
        for (label, line) in [("same id, another public key", later("details", details)), ("another key, another id", later("details", forged)),
                              ("retirement undone", later("retired", ["retired_at": .null]))] {
            let bytes = try ForgedLog.bytes(from: signer, recipient: network.codes[1], lines: [line], vector: [network.codes[0]: top + 1_000])
            #expect(throws: ImportedSignatures.keyRefusal, "\(label)") { try ForgedLog.importing(bytes, at: receiver, folder: network.folder) }
            #expect(try Digest.compute(receiver) == before, "\(label): nothing applied")
        }
        // A key row whose public key does not hash to its id verifies nothing, whoever wrote it.
        try receiver.execute("UPDATE sync_state SET applying = 1")
        try receiver.execute("UPDATE staff_key SET public_key = ?, retired_at = NULL", [attacker.publicKey])
        try receiver.execute("UPDATE sync_state SET applying = 0")
        #expect(try fixture.note(at: 1).signature?.verified == false)
    }

    @Test("a note signed before clinician keys shows as hash-only, still checked by its SHA-256")
    func hashOnly() throws {
        let fixture = try SignedNoteFixture(siteCount: 1, receivers: [])
        let db = fixture.network.sites[0]
        let note = try fixture.note(at: 0)
        // The snapshot without the clinician's signature, as the previous release stored it: a downgrade,
        // unless the note is one the upgrade listed as signed before clinician keys.
        try db.execute("UPDATE sync_state SET applying = 1")
        try db.execute("UPDATE note SET signed_content = ? WHERE id = ?", [note.signedSnapshot.canonical, note.id])
        #expect(try fixture.note(at: 0).signature?.verified == false, "stripping a signature is not a hash-only signature")
        try db.execute("INSERT INTO hash_only_signature (kind, id) VALUES ('note', ?)", [note.id])
        #expect(try fixture.note(at: 0).signature == SignatureCheck(signerID: note.signedBy ?? "", keyID: nil, signedAt: note.signedAt ?? 0,
                                                                   method: .hashOnly, verified: true))
        try db.execute("UPDATE note SET plan = 'changed' WHERE id = ?", [note.id])
        #expect(try fixture.note(at: 0).signature?.verified == false)
        try db.execute("UPDATE sync_state SET applying = 0")
    }
}
