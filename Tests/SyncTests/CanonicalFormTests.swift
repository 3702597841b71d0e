import Foundation
import Models
@testable import Storage
import Testing

@Suite("Captured values are canonical")
struct CanonicalFormTests {
    @Test("SQLite's json_object text without decimals or escapes is already our canonical form", arguments: [
        "json_object('a', 1, 'b', 'Hélène Côté', 'c', NULL, 'd', -42, 'e', '2026-12-01', 'f', 'x-y_z')",
        "json_object('chart', 'MTL-000042', 'created_at', 1795392000000, 'first', 'Zoë', 'phone', '514 555 0100')",
        "json_object('a', 0.25, 'b', 20.0, 'c', 'quote \" and back\\slash', 'd', 'line\nbreak')",
        "json_object('email', 'ana.silva@example.org', 'n', 3, 'note', 'Dr. Côté')",
        "json_object('email', 'ana.silva@example.org', 'x', 1.5)",
    ])
    func fastPathMatches(expression: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-canonical-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("c.sqlite").path)
        let text = try #require(try db.first("SELECT \(expression)")?.string(0))
        let rebuilt = JSONValue.object(try JSONParser.parse(text).objectValue ?? [:]).canonical
        #expect(ChangeCapture.canonicalValues(text) == rebuilt)
    }

    @Test("the body text built around canonical values equals the canonical body")
    func bodyText() throws {
        let values: [String: JSONValue] = ["name": .string("Clinique \"Montréal\""), "n": .integer(3), "x": .decimal(0.25), "z": .null]
        let change = Change(origin: "MTL", hlc: HLC(physical: 1_795_392_000_000, counter: 7), table: "site", rowID: "r-1",
                            group: "details", values: values, previous: "abc")
        let text = Change.canonicalBodyText(origin: "MTL", hlc: change.hlc, table: "site", rowID: "r-1", group: "details",
                                            canonicalValues: JSONValue.object(values).canonical, previous: "abc")
        #expect(text == change.canonicalBody.canonical)
        #expect(SHA256Hex.of(text) == change.id)
    }

    @Test("the id a local write seals is the id of the same change read back from a change log", arguments: [
        ("r-1", "details", "abc" as String?, #"{"a":1,"b":"x"}"#),
        ("0190f3a2-7c1e-7b3a-9d4e-2f6a8b1c0d9e", "slot", nil, #"{"end_ms":1795393800000,"room_id":"r","start_ms":1795392000000}"#),
        ("quote\"and\\back", "gr\u{1}oup", "prev\nline", #"{"note":"Zoë \"Dr.\" Côté"}"#),
        ("Hélène", "_deleted", nil, "{}"),
    ])
    func sealedID(_ example: (rowID: String, group: String, previous: String?, canonicalValues: String)) throws {
        let (rowID, group, previous, canonicalValues) = example
        let values = try #require(try JSONParser.parse(canonicalValues).objectValue)
        let change = Change(origin: "MTL", hlc: HLC(physical: 1_795_392_000_000, counter: 2), table: "appointment", rowID: rowID,
                            group: group, values: values, previous: previous)
        let id = Change.id(origin: "MTL", hlc: change.hlc, table: "appointment", rowID: rowID, group: group,
                           canonicalValues: canonicalValues, previous: previous)
        #expect(id == change.id)
        #expect(id == SHA256Hex.of(Data(change.canonicalBody.canonical.utf8)))
    }

    @Test("hashes are the standard SHA-256 in lower-case hex, from a string, bytes or data alike")
    func sha256Hex() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(SHA256Hex.of("abc") == abc)
        #expect(SHA256Hex.of(Data("abc".utf8)) == abc)
        #expect(Array("abc".utf8).withUnsafeBytes { SHA256Hex.of(bytes: $0) } == abc)
        #expect(SHA256Hex.hex([UInt8](repeating: 0xAB, count: 40)) == String(repeating: "ab", count: 40))
    }
}
