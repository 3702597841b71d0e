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
            let store = TrustedSiteStore(db)
            if let stored = try store.siteKeys(), let signing = Data(base64Encoded: stored.signing),
               let agreement = Data(base64Encoded: stored.agreement) {
                return SiteKeys(code: site.code, signing: try Curve25519.Signing.PrivateKey(rawRepresentation: signing),
                                agreement: try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: agreement))
            }
            let keys = SiteKeys(code: site.code, signing: Curve25519.Signing.PrivateKey(), agreement: Curve25519.KeyAgreement.PrivateKey())
            try store.storeSiteKeys(signing: keys.signing.rawRepresentation.base64EncodedString(),
                                    agreement: keys.agreement.rawRepresentation.base64EncodedString(), at: db.clock.nowMillis())
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
            try TrustedSiteStore(db).trust(code: code, signingKey: parsed.signing.base64EncodedString(),
                                           agreementKey: parsed.agreement.base64EncodedString(), keyID: site.keyID, at: now)
        }
        return site
    }

    /// Stops accepting a site's logs (kept on file, marked revoked).
    package func revoke(code: String, now: Int64) throws {
        try db.write { db in
            guard try TrustedSiteStore(db).revoke(code: code, at: now) else { throw ClinicError.notFound("trusted site \(code)") }
        }
    }

    public func all() throws -> [TrustedSite] {
        try TrustedSiteStore(db).all().map(Self.site)
    }

    /// The site's keys if trusted and not revoked.
    public func active(_ code: String) throws -> TrustedSite? {
        try TrustedSiteStore(db).active(code).map(Self.site)
    }

    static func site(_ record: TrustedSiteStore.Record) -> TrustedSite {
        TrustedSite(code: record.code, signingKey: Data(base64Encoded: record.signingKey) ?? Data(),
                    agreementKey: Data(base64Encoded: record.agreementKey) ?? Data(), keyID: record.keyID, trustedAt: record.trustedAt,
                    revokedAt: record.revokedAt)
    }
}
