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
}
