import Crypto
import Foundation
import Models

/// The body of a change log encrypted for one site with HPKE (X25519, HKDF-SHA256,
/// ChaCha20-Poly1305), in authenticated chunks so a million changes never sit in memory.
/// Each chunk's associated data names its position and whether it is the last, so chunks cannot
/// be dropped, reordered or cut off without the recipient noticing.
enum ChangeLogSealing {
    static var suite: HPKE.Ciphersuite { .Curve25519_SHA256_ChachaPoly }
    static let suiteName = "X25519-HKDF-SHA256-ChaCha20Poly1305"
    /// Plaintext bytes per chunk.
    static let chunkBytes = 256 * 1024

    static func info(recipient: String) -> Data { Data("clinic-changelog/1 for \(recipient)".utf8) }

    static func associatedData(index: Int, last: Bool) -> Data { Data("clinic-chunk:\(index):\(last ? 1 : 0)".utf8) }
}

/// Seals body lines into base64 chunk lines.
struct ChunkSealer {
    private var sender: HPKE.Sender
    private var buffer: [UInt8] = []
    private(set) var chunks = 0

    init(recipientKey: Data, recipient: String) throws {
        let key = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipientKey)
        sender = try HPKE.Sender(recipientKey: key, ciphersuite: ChangeLogSealing.suite, info: ChangeLogSealing.info(recipient: recipient))
    }

    var encapsulatedKey: Data { sender.encapsulatedKey }

    /// Adds a line; returns a sealed chunk line when the buffer is full.
    mutating func add(_ line: [UInt8]) throws -> String? {
        buffer.append(contentsOf: line)
        guard buffer.count >= ChangeLogSealing.chunkBytes else { return nil }
        return try flush(last: false)
    }

    /// Seals what is left as the last chunk (possibly empty).
    mutating func finish() throws -> String { try flush(last: true) }

    private mutating func flush(last: Bool) throws -> String {
        let sealed = try sender.seal(buffer, authenticating: ChangeLogSealing.associatedData(index: chunks, last: last))
        chunks += 1
        buffer.removeAll(keepingCapacity: true)
        return sealed.base64EncodedString() + "\n"
    }
}

/// Opens chunk lines in order and hands back the plaintext body lines.
struct ChunkOpener {
    private var recipient: HPKE.Recipient
    private(set) var index = 0
    let total: Int

    init(privateKey: Curve25519.KeyAgreement.PrivateKey, encapsulatedKey: Data, recipient code: String, total: Int) throws {
        recipient = try HPKE.Recipient(privateKey: privateKey, ciphersuite: ChangeLogSealing.suite,
                                       info: ChangeLogSealing.info(recipient: code), encapsulatedKey: encapsulatedKey)
        self.total = total
    }

    /// The plaintext of the next chunk, or nil when it fails authentication.
    mutating func open(_ line: ArraySlice<UInt8>) -> [UInt8]? {
        guard index < total, let sealed = StrictBase64.decode(line) else { return nil }
        let aad = ChangeLogSealing.associatedData(index: index, last: index == total - 1)
        index += 1
        return (try? recipient.open(sealed, authenticating: aad)).map { Array($0) }
    }
}

/// Base64 that accepts exactly one spelling of each byte string: Foundation ignores the spare bits
/// of the last character, which would let a changed byte in a file still decode to the same data.
enum StrictBase64 {
    static func decode(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return data
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> Data? {
        decode(String(decoding: bytes, as: UTF8.self))
    }
}
