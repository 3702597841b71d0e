import Models
import Storage

/// Checks the clinicians' signatures a change log brings, before its import commits: a note's
/// signature (inside `signed_content`) or an amendment's (`amendment_signature`) must verify against
/// the signer's key valid at signing, and a signature by someone who had a key then must be one
/// (a hash-only signature from them is a downgrade). Any failure refuses the whole file.
public enum ImportedSignatures {
    /// Checks the changes this import stored (those after `seq` in `change`); throws 65 `bad-note-signature`.
    /// Returns how many signed notes it checked (the benchmark package times it against Ed25519 alone).
    @discardableResult
    public static func verify(_ db: Database, storedAfter seq: Int64) throws -> Int {
        let keys = SigningKeys(db)
        var checked = 0
        var amendmentsToCheck: [(id: String, author: String, at: Int64)] = []
        let log = ChangeLogStore(db)
        try log.eachSignatureChange(storedAfter: seq) { table, rowID, text in
            guard let values = (try? JSONParser.parse(text))?.objectValue else { return }
            switch table {
            case "note":
                guard values["status"]?.stringValue == "signed" else { return }
                guard try note(rowID, values, keys: keys) else { throw refusal }
                checked += 1
                if values["signed_content"]?.stringValue.flatMap(ClinicalSignatures.split) == nil {
                    try ClinicalSignatures.allowHashOnly(db, kind: "note", id: rowID)
                }
            case "amendment_signature":
                guard try amendmentSignature(values, keys: keys) else { throw refusal }
            default:
                if let author = values["author_id"]?.stringValue, let at = values["created_at"]?.integerValue {
                    amendmentsToCheck.append((rowID, author, at))
                }
            }
        }
        for amendment in amendmentsToCheck where try !ImportedSignatureStore(db).isSigned(amendmentID: amendment.id) {
            guard try !keys.hadKey(staffID: amendment.author, at: amendment.at) else { throw refusal }
            try ClinicalSignatures.allowHashOnly(db, kind: "amendment", id: amendment.id)
        }
        for rowID in try log.rowIDs(of: "staff_key", storedAfter: seq) { try checkKey(db, rowID: rowID) }
        return checked
    }

    static var keyRefusal: ClinicError {
        ClinicError(.badNoteSignature, "change log refused: it changes, removes or un-retires a clinician's signing key, or "
                    + "brings one made by a site other than its own; nothing was imported")
    }

    /// A clinician's public key row, by every change of it this site holds: made once, by its own site,
    /// under the id of its key; never deleted; a retirement never undone.
    private static func checkKey(_ db: Database, rowID: String) throws {
        let log = ChangeLogStore(db)
        let groups = try log.groups(table: "staff_key", row: rowID)
        guard groups.allSatisfy({ $0 == "details" || $0 == "retired" }) else { throw keyRefusal }
        let details = try log.distinctValues(table: "staff_key", row: rowID, group: "details")
        guard let key = try ImportedSignatureStore(db).staffKey(id: rowID) else { throw keyRefusal }
        guard Set(details.map(\.values)).count <= 1, details.allSatisfy({ $0.origin == key.siteCode }),
              ClinicianKeys.keyID(publicKey: key.publicKey) == key.keyID else { throw keyRefusal }
        let everRetired = try log.everSet(table: "staff_key", row: rowID, group: "retired", column: "retired_at")
        if everRetired, key.retiredAt == nil { throw keyRefusal }
    }

    static var refusal: ClinicError {
        ClinicError(.badNoteSignature, "change log refused: a clinician's signature on a note or amendment does not verify "
                    + "against the signer's key valid at that time; nothing was imported")
    }

    /// A note's signature change: its document names this note, this signer and time, and verifies.
    private static func note(_ noteID: String, _ values: [String: JSONValue], keys: SigningKeys) throws -> Bool {
        guard let signer = values["signed_by"]?.stringValue, let signedAt = values["signed_at"]?.integerValue else { return false }
        guard let content = values["signed_content"]?.stringValue, let stored = ClinicalSignatures.split(content) else {
            return try !keys.hadKey(staffID: signer, at: signedAt)
        }
        guard stored.members["id"]?.stringValue == noteID, stored.members["signed_by"]?.stringValue == signer,
              stored.members["signed_at"]?.integerValue == signedAt, let keyID = stored.members["key"]?.stringValue else { return false }
        return try ClinicalSignatures.verifies(document: stored.document, signature: stored.signature, keyID: keyID, signerID: signer,
                                               signedAt: signedAt, keys: keys)
    }

    /// An amendment's signature row: its document names its amendment and verifies.
    private static func amendmentSignature(_ values: [String: JSONValue], keys: SigningKeys) throws -> Bool {
        guard let document = values["document"]?.stringValue, let signature = values["signature"]?.stringValue,
              let keyID = values["key_id"]?.stringValue, let signer = values["signer_id"]?.stringValue,
              let signedAt = values["signed_at"]?.integerValue,
              let members = (try? JSONParser.parse(document))?.objectValue,
              members["amendment_id"] == values["amendment_id"], members["key"]?.stringValue == keyID else { return false }
        return try ClinicalSignatures.verifies(document: document, signature: signature, keyID: keyID, signerID: signer, signedAt: signedAt, keys: keys)
    }
}
