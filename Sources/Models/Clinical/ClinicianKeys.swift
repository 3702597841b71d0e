import Crypto
import Foundation

/// A clinician's Ed25519 private key, unsealed for one signing and never stored in the clear.
public struct ClinicianPrivateKey: Sendable {
    let raw: Data

    init(key: Curve25519.Signing.PrivateKey) { raw = key.rawRepresentation }

    var key: Curve25519.Signing.PrivateKey {
        // The raw bytes came from a valid key; a failure here would mean memory corruption.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) ?? Curve25519.Signing.PrivateKey()
    }

    /// A new key pair.
    public static func generate() -> ClinicianPrivateKey { ClinicianPrivateKey(key: Curve25519.Signing.PrivateKey()) }

    /// The public half, base64, as the synced `staff_key` row carries it.
    public var publicKey: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// The key's id: what `note show` and signatures name it by.
    public var keyID: String { ClinicianKeys.keyID(publicKey: publicKey) }

    /// The signature of `document`'s UTF-8 bytes, base64.
    public func sign(_ document: String) throws -> String {
        try key.signature(for: Data(document.utf8)).base64EncodedString()
    }
}

/// Sealing, naming and checking of clinicians' signing keys.
public enum ClinicianKeys {
    /// What a clinician's key signs for a document: its SHA-256, so that a receiving system (a FHIR
    /// Provenance, which carries no note text) can check the signature against the digest alone.
    public static func message(signing document: String) -> String {
        "clinic-signed-document:sha256:" + SHA256Hex.of(document)
    }

    /// The first 16 hex digits of the SHA-256 of the raw public key, prefixed so that it reads as a key id.
    public static func keyID(publicKey: String) -> String {
        "ed25519:" + SHA256Hex.hex(SHA256.hash(data: Data(base64Encoded: publicKey) ?? Data())).prefix(16)
    }

    /// The private key sealed with ChaCha20-Poly1305 under the passphrase's sealing key, base64.
    public static func seal(_ privateKey: ClinicianPrivateKey, with sealingKey: SealingKey) throws -> String {
        try ChaChaPoly.seal(privateKey.key.rawRepresentation, using: sealingKey.key).combined.base64EncodedString()
    }

    /// The private key a sealed box holds; a wrong sealing key (another passphrase) or a changed box is `bad-passphrase`.
    public static func unseal(_ sealed: String, with sealingKey: SealingKey) throws -> ClinicianPrivateKey {
        do {
            guard let data = Data(base64Encoded: sealed) else { throw ClinicError(.corrupt, "a sealed signing key is damaged") }
            let raw = try ChaChaPoly.open(ChaChaPoly.SealedBox(combined: data), using: sealingKey.key)
            return ClinicianPrivateKey(key: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        } catch let error as ClinicError {
            throw error
        } catch {
            throw ClinicError(.badPassphrase, "the signing key does not open with this passphrase")
        }
    }

    /// True when `signature` (base64) is `publicKey`'s signature of `document`.
    public static func verify(signature: String, document: String, publicKey: String) -> Bool {
        guard let signatureData = Data(base64Encoded: signature), let keyData = Data(base64Encoded: publicKey),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData) else { return false }
        return key.isValidSignature(signatureData, for: Data(document.utf8))
    }
}

/// A clinician's public signing key as every site knows it: valid from its creation until retired.
public struct ClinicianPublicKey: Sendable, Equatable {
    public var keyID: String
    public var staffID: String
    public var site: String
    public var publicKey: String
    public var createdAt: Int64
    public var retiredAt: Int64?

    public init(keyID: String, staffID: String, site: String, publicKey: String, createdAt: Int64, retiredAt: Int64?) {
        self.keyID = keyID
        self.staffID = staffID
        self.site = site
        self.publicKey = publicKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }

    /// True when a signature made at `instant` by this key counts: from the key's making until its retirement
    /// (a signature stamped the same millisecond as the retirement was not made later).
    public func isValid(at instant: Int64) -> Bool {
        createdAt <= instant && (retiredAt.map { instant <= $0 } ?? true)
    }
}
