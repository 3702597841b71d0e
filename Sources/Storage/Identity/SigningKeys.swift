import Models

/// Clinicians' Ed25519 keys: the public halves are synced rows (`staff_key`) every site verifies
/// signatures with; the private halves, sealed with their owner's passphrase, stay in the database
/// that made them (`sealed_key`).
public struct SigningKeys {
    let db: Database

    public init(_ db: Database) { self.db = db }

    static let columns = "key_id, staff_id, site_code, public_key, created_at, retired_at"

    static func key(_ row: Row) -> ClinicianPublicKey {
        ClinicianPublicKey(keyID: row.string(0), staffID: row.string(1), site: row.string(2), publicKey: row.string(3),
                           createdAt: row.int(4), retiredAt: row.optionalInt(5))
    }

    /// The public key with this id, if any site made it.
    public func publicKey(_ keyID: String) throws -> ClinicianPublicKey? {
        try db.first("SELECT \(Self.columns) FROM staff_key WHERE key_id = ? ORDER BY created_at LIMIT 1", [keyID]).map(Self.key)
    }

    /// Every key a member has had, at every site, oldest first.
    public func keys(staffID: String) throws -> [ClinicianPublicKey] {
        try db.query("SELECT \(Self.columns) FROM staff_key WHERE staff_id = ? ORDER BY created_at, key_id", [staffID]).map(Self.key)
    }

    /// True when some key of the member was valid at `instant`: a signature made then must be an Ed25519 one.
    public func hadKey(staffID: String, at instant: Int64) throws -> Bool {
        try keys(staffID: staffID).contains { $0.isValid(at: instant) }
    }

    /// The member's current key made here, unsealed with their passphrase's sealing key; a new pair
    /// when they have none here (a new clinician, or one whose key was reset or rotated).
    package func current(staffID: String, secrets: PassphraseSecrets, now: Int64) throws -> ClinicianPrivateKey {
        let site = try SiteRepository(db).local().code
        if let row = try db.first("""
            SELECT s.sealed FROM sealed_key s JOIN staff_key k ON k.key_id = s.key_id
            WHERE s.staff_id = ? AND k.site_code = ? AND k.retired_at IS NULL ORDER BY k.created_at DESC LIMIT 1
            """, [staffID, site]) {
            return try ClinicianKeys.unseal(row.string(0), with: secrets.sealingKey)
        }
        return try create(staffID: staffID, secrets: secrets, now: now)
    }

    /// Makes a key pair here: the public half synced, the private half sealed.
    @discardableResult
    package func create(staffID: String, secrets: PassphraseSecrets, now: Int64) throws -> ClinicianPrivateKey {
        let site = try SiteRepository(db).local().code
        let key = ClinicianPrivateKey.generate()
        try db.execute("INSERT INTO staff_key (id, staff_id, site_code, key_id, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staffID, site, key.keyID, key.publicKey, now])
        try db.execute("INSERT INTO sealed_key (key_id, staff_id, sealed, created_at) VALUES (?, ?, ?, ?)",
                       [key.keyID, staffID, try ClinicianKeys.seal(key, with: secrets.sealingKey), now])
        return key
    }

    /// Seals the member's private keys here again under a new passphrase: the same keys, so their
    /// signatures and public keys stay as they are.
    package func reseal(staffID: String, from old: PassphraseSecrets, to new: PassphraseSecrets) throws {
        for row in try db.query("SELECT key_id, sealed FROM sealed_key WHERE staff_id = ?", [staffID]) {
            let key = try ClinicianKeys.unseal(row.string(1), with: old.sealingKey)
            try db.execute("UPDATE sealed_key SET sealed = ? WHERE key_id = ?", [try ClinicianKeys.seal(key, with: new.sealingKey), row.string(0)])
        }
    }

    /// Retires the member's keys from `now`: signatures made with them later are refused everywhere.
    /// `everywhere` retires the keys made at other sites too (a deactivation); otherwise only this site's.
    /// The private halves here are destroyed.
    @discardableResult
    package func retire(staffID: String, everywhere: Bool, now: Int64) throws -> Int {
        let site = try SiteRepository(db).local().code
        let retired = try db.query("""
            SELECT id FROM staff_key WHERE staff_id = ? AND retired_at IS NULL AND (? = 1 OR site_code = ?)
            """, [staffID, everywhere, site]).map { $0.string(0) }
        for id in retired { try db.execute("UPDATE staff_key SET retired_at = ? WHERE id = ?", [now, id]) }
        try db.execute("DELETE FROM sealed_key WHERE staff_id = ?", [staffID])
        return retired.count
    }
}
