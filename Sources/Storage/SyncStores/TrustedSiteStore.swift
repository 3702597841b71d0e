/// The peers whose change logs this site accepts (`trusted_site`), with their public keys as
/// base64 text, and this site's own private keys (`site_key`).
public struct TrustedSiteStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A trusted site's row: its keys as stored (base64) and when it was trusted or revoked.
    public struct Record {
        public let code: String
        public let signingKey: String
        public let agreementKey: String
        public let keyID: String
        public let trustedAt: Int64
        public let revokedAt: Int64?
    }

    private static let columns = "SELECT code, signing_key, agreement_key, key_id, trusted_at, revoked_at FROM trusted_site"

    private static func record(_ row: Row) -> Record {
        Record(code: row.string(0), signingKey: row.string(1), agreementKey: row.string(2), keyID: row.string(3), trustedAt: row.int(4),
               revokedAt: row.optionalInt(5))
    }

    /// Records a site's keys, replacing (and un-revoking) any it had.
    public func trust(code: String, signingKey: String, agreementKey: String, keyID: String, at now: Int64) throws {
        try db.execute("""
            INSERT INTO trusted_site (code, signing_key, agreement_key, key_id, trusted_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)
            ON CONFLICT(code) DO UPDATE SET signing_key = excluded.signing_key, agreement_key = excluded.agreement_key,
                key_id = excluded.key_id, trusted_at = excluded.trusted_at, revoked_at = NULL
            """, [code, signingKey, agreementKey, keyID, now])
    }

    /// Marks a trusted site revoked; false when no site of that code is trusted now.
    public func revoke(code: String, at now: Int64) throws -> Bool {
        try db.execute("UPDATE trusted_site SET revoked_at = ? WHERE code = ? AND revoked_at IS NULL", [now, code])
        return db.changes == 1
    }

    /// Every site on file, revoked ones too, by code.
    public func all() throws -> [Record] {
        try db.query("\(Self.columns) ORDER BY code").map(Self.record)
    }

    /// The site's row while it is trusted (not revoked).
    public func active(_ code: String) throws -> Record? {
        try db.first("\(Self.columns) WHERE code = ? AND revoked_at IS NULL", [code]).map(Self.record)
    }

    /// This site's private keys (signing, agreement) as base64, or nil before they are made.
    public func siteKeys() throws -> (signing: String, agreement: String)? {
        try db.first("SELECT signing_private, agreement_private FROM site_key WHERE id = 1").map { ($0.string(0), $0.string(1)) }
    }

    /// Stores this site's private keys, made once.
    public func storeSiteKeys(signing: String, agreement: String, at now: Int64) throws {
        try db.execute("INSERT INTO site_key (id, signing_private, agreement_private, created_at) VALUES (1, ?, ?, ?)", [signing, agreement, now])
    }
}
