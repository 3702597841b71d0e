import Crypto
import Foundation
import Models
import Storage

/// A change line read by position rather than by a general JSON parse: the canonical layout is fixed
/// (`{"group":…,"hlc":…,"id":…,"origin":…,"prev":…,"row":…,"table":…,"values":{…}}`), so the import
/// cuts the fields out where they must be. Lines that do not fit exactly — an escaped string, a
/// decimal, another order — return nil and take the general path, which decides what is wrong with
/// them; so this reading never accepts or refuses anything the general path would not.
struct ScannedLine {
    let group: String
    let hlc: Int64
    let origin: String
    let previous: String?
    let row: String
    let table: String
    /// Byte offsets in the line: the `,"id":"…"` member, and the values object.
    let idRange: Range<Int>
    let valuesRange: Range<Int>

    /// Cuts the fields out of a line, or nil when it is not laid out canonically with plain strings.
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> ScannedLine? {
        var cursor = ByteCursor(bytes: line)
        guard cursor.literal("{\"group\":\""), let group = cursor.plainString(),
              cursor.literal(",\"hlc\":"), let hlc = cursor.canonicalInteger() else { return nil }
        let idStart = cursor.index
        guard cursor.literal(",\"id\":\""), cursor.skipHex(64), cursor.literal("\"") else { return nil }
        let idEnd = cursor.index
        guard cursor.literal(",\"origin\":\""), let origin = cursor.plainString(), cursor.literal(",\"prev\":") else { return nil }
        var previous: String?
        if cursor.literal("\"") {
            guard let text = cursor.plainString() else { return nil }
            previous = text
        } else if !cursor.literal("null") {
            return nil
        }
        guard cursor.literal(",\"row\":\""), let row = cursor.plainString(),
              cursor.literal(",\"table\":\""), let table = cursor.plainString(), cursor.literal(",\"values\":"),
              line.count > cursor.index, line[line.count - 1] == UInt8(ascii: "}") else { return nil }
        return ScannedLine(group: group, hlc: hlc, origin: origin, previous: previous, row: row, table: table,
                           idRange: idStart..<idEnd, valuesRange: cursor.index..<(line.count - 1))
    }

    /// The 64 hex digits of the claimed id.
    func claimedID(in line: UnsafeBufferPointer<UInt8>) -> String {
        let start = idRange.lowerBound + 7
        return String(decoding: UnsafeBufferPointer(rebasing: line[start..<start + 64]), as: UTF8.self)
    }

    /// True when the line without its id member hashes to the id: the change is the one its id names.
    func idMatches(in line: UnsafeBufferPointer<UInt8>) -> Bool {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[0..<idRange.lowerBound])))
        hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[idRange.upperBound...])))
        let digest = hasher.finalize()
        var index = idRange.lowerBound + 7
        for byte in digest {
            guard ByteCursor.hexValue(line[index]) == byte >> 4, ByteCursor.hexValue(line[index + 1]) == byte & 0x0F else { return false }
            index += 2
        }
        return true
    }

    /// The values object in the order of `columns` (a group's columns, as UTF-8), when it is
    /// canonical and flat (keys in byte order, integers, plain strings, nulls) and names each of
    /// them once and nothing else; nil otherwise. No dictionary and no key string is made.
    func ordered(in line: UnsafeBufferPointer<UInt8>, columns: [[UInt8]]) -> [SQLValue]? {
        guard columns.count < 64 else { return nil }
        var cursor = ByteCursor(bytes: UnsafeBufferPointer(rebasing: line[valuesRange]))
        guard cursor.literal("{") else { return nil }
        var ordered = [SQLValue](repeating: .null, count: columns.count)
        if cursor.literal("}") { return cursor.atEnd && columns.isEmpty ? ordered : nil }
        var seen: UInt64 = 0
        var previousKey: Range<Int>?
        while true {
            guard cursor.literal("\""), let keyRange = cursor.plainBytes() else { return nil }
            if let previousKey, !cursor.precedes(previousKey, keyRange) { return nil }
            previousKey = keyRange
            let key = UnsafeBufferPointer(rebasing: cursor.bytes[keyRange])
            guard let column = columns.firstIndex(where: { $0.elementsEqual(key) }), seen & (1 << column) == 0, cursor.literal(":") else {
                return nil
            }
            seen |= 1 << column
            if cursor.literal("null") {
                ordered[column] = .null
            } else if cursor.literal("\"") {
                guard let text = cursor.plainString() else { return nil }
                ordered[column] = .text(text)
            } else if let number = cursor.canonicalInteger() {
                ordered[column] = .integer(number)
            } else {
                return nil
            }
            if cursor.literal(",") { continue }
            guard cursor.literal("}"), cursor.atEnd, seen == (1 << columns.count) - 1 else { return nil }
            return ordered
        }
    }
}

/// Reads bytes left to right for `ScannedLine`.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count, let base = bytes.baseAddress,
              memcmp(base + index, text.utf8Start, count) == 0 else { return false }
        index += count
        return true
    }

    /// A string's text up to its closing quote (consumed), when it has no escape or control character
    /// and is valid UTF-8: exactly what canonical JSON writes for it.
    mutating func plainString() -> String? {
        guard let (range, ascii) = plain() else { return nil }
        let text = UnsafeBufferPointer(rebasing: bytes[range])
        // ASCII is valid UTF-8 as it stands; the generic validating initialiser is far slower.
        return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
    }

    /// The bytes of a string up to its closing quote (consumed), when it has no escape or control
    /// character; whether they are valid UTF-8 is not checked.
    mutating func plainBytes() -> Range<Int>? { plain()?.range }

    /// `plainBytes`, and whether the bytes are all ASCII.
    private mutating func plain() -> (range: Range<Int>, ascii: Bool)? {
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 { break }
            if byte == 0x5C || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        guard index < bytes.count else { return nil }
        index += 1
        return (start..<(index - 1), ascii)
    }

    /// An integer written as canonical JSON writes it: no plus, no leading zero, no "-0", in range,
    /// and not followed by a fraction or exponent.
    mutating func canonicalInteger() -> Int64? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        let digits = index - digitsStart
        guard digits > 0, digits <= 19, !(digits > 1 && bytes[digitsStart] == 0x30),
              !(bytes[start] == UInt8(ascii: "-") && digits == 1 && bytes[digitsStart] == 0x30) else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
        var value: Int64 = 0
        for position in digitsStart..<index {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = shifted.addingReportingOverflow(Int64(bytes[position] - 0x30))
            guard !overflow, !overflowSum else { return nil }
            value = sum
        }
        return bytes[start] == UInt8(ascii: "-") ? -value : value
    }

    mutating func skipHex(_ count: Int) -> Bool {
        guard index + count <= bytes.count else { return false }
        for position in index..<index + count where Self.hexValue(bytes[position]) == 0xFF { return false }
        index += count
        return true
    }

    /// True when the bytes at `a` sort strictly before those at `b`.
    func precedes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        UnsafeBufferPointer(rebasing: bytes[a]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: bytes[b]))
    }

    /// A lower-case hex digit's value, or 0xFF.
    static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        default: return 0xFF
        }
    }
}
