import Models

/// A note's or an amendment's signature as checked here: who signed, when, with which key, and
/// whether it still verifies against the content as it now stands.
public struct SignatureCheck: Sendable, Equatable {
    /// How it was signed: a clinician's own Ed25519 key, or only the SHA-256 of the content
    /// (notes signed before clinician keys existed).
    public enum Method: String, Sendable {
        case ed25519
        case hashOnly = "hash-only"
    }

    public var signerID: String
    public var keyID: String?
    public var signedAt: Int64
    public var method: Method
    public var verified: Bool
}

/// The documents clinicians sign, and their checks. A note's signature travels inside its
/// `signed_content` (the document, with the signature as one more member); an amendment's in its
/// `amendment_signature` row.
public enum ClinicalSignatures {
    /// The member of `signed_content` holding the clinician's signature.
    static let signatureMember = "signature"

    /// What the signer's signature covers: the note's canonical content (SOAP text, measures,
    /// needling rows, adverse events, acknowledgements, patient and appointment, signer and time)
    /// with the signer's handle and key id.
    static func document(of note: NoteRecord, signer: String, keyID: String) -> JSONValue {
        guard case .object(var members) = note.canonicalContent else { return .null }
        members["signer"] = .string(signer)
        members["key"] = .string(keyID)
        return .object(members)
    }

    /// `signed_content` for a new signature: the document and its signature.
    static func signedContent(of note: NoteRecord, signer: String, key: ClinicianPrivateKey) throws -> String {
        let document = Self.document(of: note, signer: signer, keyID: key.keyID)
        guard case .object(var members) = document else { return document.canonical }
        members[signatureMember] = .string(try key.sign(ClinicianKeys.message(signing: document.canonical)))
        return JSONValue.object(members).canonical
    }

    /// A stored `signed_content` split into the document's canonical text, its members and the
    /// signature; nil for a hash-only signature (no signature member).
    public static func split(_ signedContent: String) -> (document: String, members: [String: JSONValue], signature: String)? {
        guard var members = (try? JSONParser.parse(signedContent))?.objectValue,
              let signature = members.removeValue(forKey: signatureMember)?.stringValue else { return nil }
        return (JSONValue.object(members).canonical, members, signature)
    }

    /// True when a bare SHA-256 may sign this note or amendment: it was signed before clinician keys
    /// (listed at the upgrade, or by the import that brought it from a signer who had no key then).
    static func hashOnlyAllowed(_ db: Database, kind: String, id: String) throws -> Bool {
        try db.first("SELECT 1 FROM hash_only_signature WHERE kind = ? AND id = ?", [kind, id]) != nil
    }

    /// Lists a note or amendment that an import brought signed by its SHA-256 alone, from a signer who had no key then.
    package static func allowHashOnly(_ db: Database, kind: String, id: String) throws {
        try db.execute("INSERT INTO hash_only_signature (kind, id) VALUES (?, ?) ON CONFLICT DO NOTHING", [kind, id])
    }

    /// True when `signature` is the signature of `document` by a key of `signerID` valid at `signedAt`.
    public static func verifies(document: String, signature: String, keyID: String, signerID: String, signedAt: Int64,
                                keys: SigningKeys) throws -> Bool {
        guard let key = try keys.publicKey(keyID), key.staffID == signerID, key.isValid(at: signedAt),
              ClinicianKeys.keyID(publicKey: key.publicKey) == keyID else { return false }
        return ClinicianKeys.verify(signature: signature, document: ClinicianKeys.message(signing: document), publicKey: key.publicKey)
    }

    /// The check of a signed note: the stored document must be the note as it stands, and its
    /// signature must verify; a hash-only note verifies by its SHA-256 alone.
    static func check(_ db: Database, note: NoteRecord, signedContent: String?) throws -> SignatureCheck? {
        guard note.status == .signed, let signerID = note.signedBy, let signedAt = note.signedAt else { return nil }
        guard let signedContent, let stored = split(signedContent) else {
            let allowed = try hashOnlyAllowed(db, kind: "note", id: note.id)
            return SignatureCheck(signerID: signerID, keyID: nil, signedAt: signedAt, method: .hashOnly, verified: note.hashVerified && allowed)
        }
        let keyID = stored.members["key"]?.stringValue ?? ""
        let signer = stored.members["signer"]?.stringValue ?? ""
        let expected = document(of: note, signer: signer, keyID: keyID).canonical
        let signerHandle = try StaffRepository(db).byID(signerID)?.handle
        let signatureValid = try verifies(document: stored.document, signature: stored.signature, keyID: keyID, signerID: signerID,
                                          signedAt: signedAt, keys: SigningKeys(db))
        let verified = note.hashVerified && expected == stored.document && signerHandle == signer && signatureValid
        return SignatureCheck(signerID: signerID, keyID: keyID, signedAt: signedAt, method: .ed25519, verified: verified)
    }

    /// What an amendment's signer signs: the amendment, the hash of what it amends, the signer and key.
    static func document(of amendment: StoredAmendment, noteID: String, signer: String, keyID: String) -> String {
        JSONValue.object([
            "amendment_id": .string(amendment.id), "note_id": .string(noteID), "author_id": .string(amendment.authorID),
            "text": .string(amendment.text), "amends_hash": .string(amendment.amendsHash), "content_hash": .string(amendment.contentHash),
            "at": .integer(amendment.at), "signer": .string(signer), "key": .string(keyID),
        ]).canonical
    }

    /// The check of an amendment: its signature row (hash-only without one).
    static func check(_ db: Database, amendment: StoredAmendment, noteID: String) throws -> SignatureCheck {
        guard let row = try db.first("""
            SELECT signer_id, key_id, signed_at, document, signature FROM amendment_signature WHERE amendment_id = ? ORDER BY id LIMIT 1
            """, [amendment.id]) else {
            let allowed = try hashOnlyAllowed(db, kind: "amendment", id: amendment.id)
            return SignatureCheck(signerID: amendment.authorID, keyID: nil, signedAt: amendment.at, method: .hashOnly,
                                  verified: amendment.verifies(noteID: noteID) && allowed)
        }
        let signerID = row.string(0), keyID = row.string(1), signedAt = row.int(2), stored = row.string(3)
        let expected = document(of: amendment, noteID: noteID, signer: amendment.authorHandle, keyID: keyID)
        let signatureValid = try verifies(document: stored, signature: row.string(4), keyID: keyID, signerID: signerID, signedAt: signedAt,
                                          keys: SigningKeys(db))
        let verified = amendment.verifies(noteID: noteID) && signerID == amendment.authorID && expected == stored && signatureValid
        return SignatureCheck(signerID: signerID, keyID: keyID, signedAt: signedAt, method: .ed25519, verified: verified)
    }
}
