import Foundation
import Models
import Storage
@testable import Sync
import Testing

/// A change log is accepted only as clinic writes it, byte for byte: the same content with a space,
/// another key order, an extra key or another escape is refused, even signed by a trusted site and
/// with every hash and id made to match.
@Suite("Change logs are read strictly")
struct StrictLogTests {
    static let room: [String: JSONValue] = ["site_id": .string("01a20000-0000-7000-8000-0000000000aa"), "name": .string("Bed 7"),
                                             "kind": .string("bed"), "created_at": .integer(1)]

    /// A site row and a room in it, as canonical lines.
    static func lines() -> [[UInt8]] {
        [changeLine(table: "site", row: "01a20000-0000-7000-8000-0000000000aa", group: "details",
                    values: ["code": .string("ZZ"), "name": .string("Nowhere"), "timezone": .string("UTC"), "created_at": .integer(1)]),
         changeLine(table: "room", row: "01a20000-0000-7000-8000-0000000000ab", group: "details", values: room)]
    }

    /// A change line whose text is `body` (a complete JSON object without the id) and whose id is
    /// the hash of exactly that text, as the id check reads it.
    static func lineWithMatchingID(_ body: String) -> [UInt8] {
        let id = SHA256Hex.of(body)
        return Array((String(body.dropLast()) + ",\"id\":\"\(id)\"}").utf8)
    }

    /// The canonical body (without the id) of the room change.
    static var roomBody: String {
        Change(origin: "MTL", hlc: HLC(rawValue: 117_660_000_000_000_000), table: "room", rowID: "01a20000-0000-7000-8000-0000000000ab",
               group: "details", values: room, previous: nil).canonicalBody.canonical
    }

    /// Replaces the first `old` in `bytes`.
    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: old) else { return bytes }
        return Array(text.replacingCharacters(in: range, with: new).utf8)
    }

    @Test("the canonical log these cases start from imports")
    func canonicalImports() throws {
        let pair = try HostilePair()
        #expect(pair.importBytes(try ForgedLog.bytes(from: pair.sender, recipient: "QC", lines: Self.lines())) == nil)
        #expect(try pair.receiver.first("SELECT name FROM room")?.string(0) == "Bed 7")
    }

    @Test("a header, trailer or change line not written as clinic writes it is refused as bad-file", arguments: [
        "header-space", "header-key-order", "header-escape", "trailer-space", "trailer-extra-key", "trailer-key-order",
        "line-space", "line-key-order", "line-escape", "line-decimal", "line-newline-escape",
    ])
    func nonCanonical(kind: String) throws {
        let pair = try HostilePair()
        let before = try Digest.compute(pair.receiver)
        var lines = Self.lines()
        var header: ([UInt8]) -> [UInt8] = { $0 }
        var trailer: ([UInt8]) -> [UInt8] = { $0 }
        switch kind {
        case "header-space": header = { Self.replacing("\"format\":", with: "\"format\": ", in: $0) }
        case "header-key-order":
            header = { Self.replacing("\"encryption\":null,\"format\":\"clinic-changelog\"", with: "\"format\":\"clinic-changelog\",\"encryption\":null", in: $0) }
        case "header-escape": header = { Self.replacing("\"site\":\"MTL\"", with: "\"site\":\"\\u004dTL\"", in: $0) }
        case "trailer-space": trailer = { Self.replacing("{\"trailer\":", with: "{\"trailer\": ", in: $0) }
        case "trailer-extra-key": trailer = { Self.replacing("\"count\":", with: "\"comment\":\"x\",\"count\":", in: $0) }
        case "trailer-key-order": trailer = { Self.replacing("\"chunks\":0,\"count\":2", with: "\"count\":2,\"chunks\":0", in: $0) }
        case "line-space": lines[1] = Self.lineWithMatchingID(Self.roomBody.replacingOccurrences(of: "\"kind\":", with: "\"kind\": "))
        case "line-key-order": lines[1] = Self.lineWithMatchingID(Self.roomBody.replacingOccurrences(of: "{\"group\":\"details\",", with: "{")
                                                                  .replacingOccurrences(of: "\"prev\":null,", with: "\"prev\":null,\"group\":\"details\","))
        case "line-escape": lines[1] = Self.lineWithMatchingID(Self.roomBody.replacingOccurrences(of: "Bed 7", with: "\\u0042ed 7"))
        case "line-decimal": lines[1] = Self.lineWithMatchingID(Self.roomBody.replacingOccurrences(of: "\"created_at\":1", with: "\"created_at\":1.0"))
        default: lines[1] = Self.lineWithMatchingID(Self.roomBody.replacingOccurrences(of: "Bed 7", with: "Bed\\u000a7"))
        }
        let canonical = try ForgedLog.bytes(from: pair.sender, recipient: "QC", lines: Self.lines()).split(separator: 0x0A).map(Array.init)
        let headerLine = try #require(canonical.first), trailerLine = try #require(canonical.last)
        #expect(header(headerLine) != headerLine || trailer(trailerLine) != trailerLine || lines != Self.lines(), "\(kind) changes the file")
        let bytes = try ForgedLog.bytes(from: pair.sender, recipient: "QC", lines: lines, header: header, trailer: trailer)
        #expect(pair.importBytes(bytes) == "bad-file", "\(kind)")
        #expect(try Digest.compute(pair.receiver) == before, "\(kind)")
    }

    @Test("a change line already stored here is still refused when not written as clinic writes it")
    func seenButNotCanonical() throws {
        let pair = try HostilePair()
        #expect(pair.importBytes(try ForgedLog.bytes(from: pair.sender, recipient: "QC", lines: Self.lines())) == nil)
        let before = try Digest.compute(pair.receiver)
        var lines = Self.lines()
        lines[1] = Array(String(decoding: lines[1], as: UTF8.self).replacingOccurrences(of: "\"kind\":", with: "\"kind\": ").utf8)
        #expect(pair.importBytes(try ForgedLog.bytes(from: pair.sender, recipient: "QC", lines: lines)) == "bad-file")
        #expect(try Digest.compute(pair.receiver) == before)
    }
}
