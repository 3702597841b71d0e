import Crypto
import Foundation

/// A JSON value with one canonical text: keys sorted by their UTF-8 bytes, no spaces, integers as
/// integers and decimals with a fixed format. Hashes of signed notes and change ids are taken over it.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The canonical text.
    public var canonical: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .decimal(let value): output += JSONValue.format(value)
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    /// Decimals as integers when whole, else Swift's shortest text that reads back to the same
    /// double, so a value survives any number of round trips between sites bit for bit.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// Most strings (ids, codes, names) need no escaping; those are appended whole, which is what made
    /// change ids and export lines cost a scalar-by-scalar append each. The output is the same either way.
    public static func writeString(_ value: String, to output: inout String) {
        output += "\""
        guard value.utf8.contains(where: JSONBytes.needsEscape) else {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `writeString` into UTF-8 bytes: the same text, appended to a byte buffer being hashed.
    public static func writeString(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { JSONBytes.appendString($0, to: &output) }
    }
}

/// Canonical JSON written straight into UTF-8 bytes, for lines built from bytes SQLite already holds.
public enum JSONBytes {
    /// A string member's value: the bytes whole between quotes when nothing needs escaping (ids, codes,
    /// names), else exactly what `JSONValue.writeString` writes.
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard bytes.contains(where: needsEscape) else {
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return
        }
        var text = ""
        JSONValue.writeString(String(decoding: bytes, as: UTF8.self), to: &text)
        output.append(contentsOf: text.utf8)
    }

    /// A byte that cannot stand as itself inside a JSON string: a control character, `"` or `\\`.
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// An integer in decimal, as `JSONValue.canonical` writes it.
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var count = 1
        var probe = magnitude / 10
        while probe > 0 {
            count += 1
            probe /= 10
        }
        let start = output.count
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var index = start + count - 1
        repeat {
            output[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }
}

/// SHA-256 in lower-case hex, the form stored and printed.
public enum SHA256Hex {
    public static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { of(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Hashes bytes in place, with no `Data` copy of them first.
    public static func of(bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hex(hasher.finalize())
    }

    public static func of(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of a byte sequence, without a format call per byte.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        for byte in bytes {
            output.append(hexDigit(byte >> 4))
            output.append(hexDigit(byte & 0x0F))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A digest's hex, written straight into the string's storage.
    public static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { output in
                for (index, byte) in bytes.enumerated() {
                    output[2 * index] = hexDigit(byte >> 4)
                    output[2 * index + 1] = hexDigit(byte & 0x0F)
                }
                return bytes.count * 2
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble + UInt8(ascii: "0") : nibble - 10 + UInt8(ascii: "a")
    }
}

/// Incremental SHA-256 for long streams (digests over whole tables, change-log bodies).
public struct SHA256Stream {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ text: String) {
        hasher.update(data: Data(text.utf8))
    }

    public mutating func update(bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    /// Hashes bytes in place.
    public mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Hashes a slice in place, without copying it into an array first.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    public func finalizeHex() -> String {
        SHA256Hex.hex(hasher.finalize())
    }
}
