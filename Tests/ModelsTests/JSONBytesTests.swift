import Models
import Testing

/// Export lines are built from bytes; they must be exactly the canonical text, escapes included.
@Suite("Canonical JSON written into bytes")
struct JSONBytesTests {
    @Test("a string is written as JSONValue.writeString writes it", arguments: [
        "", "MTL", "01a236a0-3a00-7d52-8659-aae6c0121f61", "Hélène Côté", "say \"hi\"", "back\\slash", "line\nbreak", "tab\tand\r", "\u{01}bell",
    ])
    func strings(_ text: String) {
        var expected = ""
        JSONValue.writeString(text, to: &expected)
        var bytes: [UInt8] = [0x78]
        var copy = text
        copy.withUTF8 { JSONBytes.appendString($0, to: &bytes) }
        #expect(bytes == [0x78] + Array(expected.utf8))
    }

    @Test("an integer is written in decimal as the canonical form writes it",
          arguments: [0, 7, -1, 10, 99, 100, 117_716_602_060_800_001, Int64.max, Int64.min])
    func integers(_ value: Int64) {
        var bytes: [UInt8] = []
        JSONBytes.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == JSONValue.integer(value).canonical)
    }
}
