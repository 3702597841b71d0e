import Crypto
import _CryptoExtras
import Foundation

/// The cost of one scrypt derivation, stored with each hash so that it can be raised later without
/// locking anybody out: a hash is always checked with the parameters it was made with.
public struct ScryptParameters: Sendable, Equatable {
    /// log2 of N, the CPU and memory cost.
    public var logN: Int
    /// The block size.
    public var r: Int
    /// The parallelism.
    public var p: Int

    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// The weakest parameters accepted, for new hashes and for stored ones alike: N = 2^15, r = 8.
    public static let minimum = ScryptParameters(logN: 15, r: 8, p: 1)
    /// What new passphrases are hashed with.
    public static let current = minimum

    /// True when at least `minimum` and small enough to run on a clinic's computer (N ≤ 2^20, r ≤ 32, p ≤ 4).
    public var isAccepted: Bool {
        (Self.minimum.logN...20).contains(logN) && (Self.minimum.r...32).contains(r) && (1...4).contains(p)
    }
}

/// What one scrypt derivation of a passphrase yields, split with HKDF: the verifier stored to check the
/// passphrase, and the key that seals the clinician's private signing key. One derivation serves both,
/// so proving who one is and signing cost one scrypt.
public struct PassphraseSecrets: Sendable {
    /// Stored in the database; equal only for the right passphrase.
    public let verifier: String
    /// Never stored: seals and unseals the signing key.
    public let sealingKey: SealingKey
}

/// The key a clinician's private signing key is sealed with (ChaCha20-Poly1305).
public struct SealingKey: Sendable {
    let bytes: [UInt8]

    init(_ key: SymmetricKey) { bytes = key.withUnsafeBytes { Array($0) } }

    var key: SymmetricKey { SymmetricKey(data: bytes) }
}

/// A staff member's stored passphrase hash: scrypt parameters, salt and verifier.
public struct PassphraseHash: Sendable, Equatable {
    public var parameters: ScryptParameters
    /// Base64 of the per-person random salt.
    public var salt: String
    /// Base64 of the HKDF-derived verifier.
    public var verifier: String

    public init(parameters: ScryptParameters, salt: String, verifier: String) {
        self.parameters = parameters
        self.salt = salt
        self.verifier = verifier
    }
}

/// scrypt (swift-crypto's `_CryptoExtras`) and HKDF over it.
public enum PassphraseKDF {
    /// A new hash of `passphrase` with a fresh salt, and the secrets derived on the way.
    public static func hash(_ passphrase: String, parameters: ScryptParameters = .current) throws -> (PassphraseHash, PassphraseSecrets) {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0).base64EncodedString() }
        let secrets = try derive(passphrase, salt: salt, parameters: parameters)
        return (PassphraseHash(parameters: parameters, salt: salt, verifier: secrets.verifier), secrets)
    }

    /// The secrets of `passphrase` under a stored hash's salt and parameters (one scrypt); parameters
    /// below the minimum are refused, never used.
    public static func derive(_ passphrase: String, salt: String, parameters: ScryptParameters) throws -> PassphraseSecrets {
        guard parameters.isAccepted else {
            throw ClinicError(.weakPassphraseHash, "a stored passphrase hash uses scrypt parameters below N = 2^15, r = 8; reset the passphrase")
        }
        guard let saltBytes = Data(base64Encoded: salt) else {
            throw ClinicError(.corrupt, "a stored passphrase hash is damaged")
        }
        let master = try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: saltBytes, outputByteCount: 32,
                                              rounds: 1 << parameters.logN, blockSize: parameters.r, parallelism: parameters.p)
        let verifier = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("clinic passphrase verifier v1".utf8), outputByteCount: 32)
        let sealing = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("clinic signing key seal v1".utf8), outputByteCount: 32)
        return PassphraseSecrets(verifier: verifier.withUnsafeBytes { Data($0).base64EncodedString() }, sealingKey: SealingKey(sealing))
    }

    /// True when `secrets` came from the passphrase the hash was made from; compared in constant time.
    public static func matches(_ secrets: PassphraseSecrets, _ hash: PassphraseHash) -> Bool {
        let given = Array(secrets.verifier.utf8), stored = Array(hash.verifier.utf8)
        guard given.count == stored.count else { return false }
        var difference: UInt8 = 0
        for index in given.indices { difference |= given[index] ^ stored[index] }
        return difference == 0
    }
}

/// What a new passphrase must be: long enough to resist guessing at a shared desk, plain text on one line.
public enum PassphrasePolicy {
    public static let minimumLength = 8
    public static let maximumLength = 1024

    /// The passphrases tried first by anyone guessing (lower-cased), refused whatever their length.
    static let common: Set<String> = [
        "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "12345678", "123456789", "1234567890",
        "87654321", "qwertyui", "qwertyuiop", "qwerty123", "azertyuiop", "iloveyou", "sunshine", "princess", "football", "baseball",
        "welcome1", "letmein1", "trustno1", "abcdefgh", "abcd1234", "1q2w3e4r", "11111111", "motdepasse", "changeme", "clinic123",
        "administrator", "superuser", "secret123",
    ]

    /// Refuses (64 `weak-passphrase`) a passphrase too short (spaces not counted), too long, holding
    /// control characters, of fewer than 4 different characters, among the commonest ones, or holding
    /// the member's own handle; the message never repeats it.
    public static func validate(_ passphrase: String, handle: String? = nil) throws {
        guard passphrase.count(where: { !$0.isWhitespace }) >= minimumLength else {
            throw ClinicError(.weakPassphrase, "a passphrase needs at least \(minimumLength) characters besides spaces")
        }
        let folded = passphrase.lowercased()
        guard Set(folded).count >= 4, !common.contains(folded.trimmingCharacters(in: .whitespaces)) else {
            throw ClinicError(.weakPassphrase, "that passphrase is among the first anyone would try: choose a longer, less common one")
        }
        if let handle, handle.count >= 3, folded.contains(handle.lowercased()) {
            throw ClinicError(.weakPassphrase, "a passphrase may not hold the member's own handle")
        }
        guard passphrase.utf8.count <= maximumLength else {
            throw ClinicError(.weakPassphrase, "a passphrase may hold at most \(maximumLength) bytes")
        }
        guard !passphrase.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ClinicError(.weakPassphrase, "a passphrase may not hold control characters")
        }
    }
}
