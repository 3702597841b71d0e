import Crypto
import Foundation
import Models
import Storage

/// This site's Ed25519 signing key and X25519 key-agreement key, kept in the database.
public struct SiteKeys {
    public let code: String
    let signing: Curve25519.Signing.PrivateKey
    let agreement: Curve25519.KeyAgreement.PrivateKey

    /// The keys of the local site, made on first use (normally by `init`).
    public static func ensure(_ db: Database) throws -> SiteKeys {
        let site = try SiteRepository(db).local()
        return try db.write { db in
            if let row = try db.first("SELECT signing_private, agreement_private FROM site_key WHERE id = 1"),
               let signing = Data(base64Encoded: row.string(0)), let agreement = Data(base64Encoded: row.string(1)) {
                return SiteKeys(code: site.code, signing: try Curve25519.Signing.PrivateKey(rawRepresentation: signing),
                                agreement: try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: agreement))
            }
            let keys = SiteKeys(code: site.code, signing: Curve25519.Signing.PrivateKey(), agreement: Curve25519.KeyAgreement.PrivateKey())
            try db.execute("INSERT INTO site_key (id, signing_private, agreement_private, created_at) VALUES (1, ?, ?, ?)",
                           [keys.signing.rawRepresentation.base64EncodedString(), keys.agreement.rawRepresentation.base64EncodedString(),
                            db.clock.nowMillis()])
            return keys
        }
    }

    /// The short fingerprint of a signing key that headers name.
    public static func keyID(_ signingKey: Data) -> String { String(SHA256Hex.of(signingKey).prefix(16)) }

    public var keyID: String { Self.keyID(signing.publicKey.rawRepresentation) }

    /// `clinic-key:MTL:<ed25519>:<x25519>`: one line to copy to another site's `sync trust --key`.
    public var publicLine: String {
        "clinic-key:\(code):\(signing.publicKey.rawRepresentation.base64EncodedString()):\(agreement.publicKey.rawRepresentation.base64EncodedString())"
    }

    func sign(_ message: String) throws -> String {
        try signing.signature(for: Data(message.utf8)).base64EncodedString()
    }
}

/// A peer's public keys as recorded by `sync trust`.
public struct TrustedSite: Sendable, Equatable {
    public var code: String
    public var signingKey: Data
    public var agreementKey: Data
    public var keyID: String
    public var trustedAt: Int64
    public var revokedAt: Int64?

    /// Parses the line `sync key` prints; refuses anything else (`invalid-key`, exit 64).
    public static func parse(line: String) throws -> (code: String, signing: Data, agreement: Data) {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "clinic-key", SiteCode.isValid(String(parts[1])),
              let signing = StrictBase64.decode(String(parts[2])), signing.count == 32,
              let agreement = StrictBase64.decode(String(parts[3])), agreement.count == 32,
              (try? Curve25519.Signing.PublicKey(rawRepresentation: signing)) != nil,
              (try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: agreement)) != nil else {
            throw ClinicError(.invalidKey, "\(.siteKey) must be the line another site's 'clinic sync key' prints (clinic-key:CODE:…:…)")
        }
        return (String(parts[1]), signing, agreement)
    }
}

/// The sites whose change logs this site accepts, and the keys it encrypts for.
public struct TrustStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Records (or replaces) a site's keys; the code in the key line must match `--site`.
    package func trust(code: String, line: String, now: Int64) throws -> TrustedSite {
        let parsed = try TrustedSite.parse(line: line)
        guard parsed.code == code else {
            throw ClinicError(.invalidKey, "that key belongs to site \(parsed.code), not \(code)")
        }
        guard code != (try SiteRepository(db).local().code) else {
            throw ClinicError(.invalidSite, "a site does not need to trust itself")
        }
        let site = TrustedSite(code: code, signingKey: parsed.signing, agreementKey: parsed.agreement,
                               keyID: SiteKeys.keyID(parsed.signing), trustedAt: now, revokedAt: nil)
        try db.write { db in
            try db.execute("""
                INSERT INTO trusted_site (code, signing_key, agreement_key, key_id, trusted_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)
                ON CONFLICT(code) DO UPDATE SET signing_key = excluded.signing_key, agreement_key = excluded.agreement_key,
                    key_id = excluded.key_id, trusted_at = excluded.trusted_at, revoked_at = NULL
                """, [code, parsed.signing.base64EncodedString(), parsed.agreement.base64EncodedString(), site.keyID, now])
        }
        return site
    }

    /// Stops accepting a site's logs (kept on file, marked revoked).
    package func revoke(code: String, now: Int64) throws {
        try db.write { db in
            try db.execute("UPDATE trusted_site SET revoked_at = ? WHERE code = ? AND revoked_at IS NULL", [now, code])
            guard db.changes == 1 else { throw ClinicError.notFound("trusted site \(code)") }
        }
    }

    public func all() throws -> [TrustedSite] {
        try db.query("SELECT code, signing_key, agreement_key, key_id, trusted_at, revoked_at FROM trusted_site ORDER BY code").map(Self.site)
    }

    /// The site's keys if trusted and not revoked.
    public func active(_ code: String) throws -> TrustedSite? {
        try db.first("SELECT code, signing_key, agreement_key, key_id, trusted_at, revoked_at FROM trusted_site WHERE code = ? AND revoked_at IS NULL",
                     [code]).map(Self.site)
    }

    static func site(_ row: Row) -> TrustedSite {
        TrustedSite(code: row.string(0), signingKey: Data(base64Encoded: row.string(1)) ?? Data(),
                    agreementKey: Data(base64Encoded: row.string(2)) ?? Data(), keyID: row.string(3), trustedAt: row.int(4),
                    revokedAt: row.optionalInt(5))
    }
}
