import Models
import Testing

@Suite("PlainText: control characters are refused where text enters")
struct PlainTextTests {
    @Test("every C0 and C1 control character and DEL is refused in a single-line field", arguments: Array(0x00...0x1F) + Array(0x7F...0x9F))
    func controlsRefused(value: Int) throws {
        let scalar = try #require(Unicode.Scalar(value))
        let text = "Silva" + String(Character(scalar)) + "x"
        #expect(PlainText.isControl(scalar))
        #expect(!PlainText.isClean(text))
        #expect(PlainText.isClean(text, layout: .multiLine) == (value == 0x0A || value == 0x09))
    }

    @Test("letters, accents, symbols and the characters next to the control ranges are accepted", arguments: [
        "Hélène Côté", "O'Brien-Smith", "Ærøskøbing", "李", "\u{A0}non-breaking", "\u{20}", "~", "\u{A1}¡", "Ž", "emoji 🙂", "",
    ])
    func ordinaryText(text: String) {
        #expect(PlainText.isClean(text))
        #expect(PlainText.isClean(text, layout: .multiLine))
    }

    @Test("the refusal is 64 invalid-text, names the field and never the value")
    func refusal() {
        do {
            try PlainText.require("Quasimodo\u{1B}]0;x\u{07}", field: .lastName)
            Issue.record("a control character was accepted")
        } catch let error as ClinicError {
            #expect(error.code.name == "invalid-text" && error.category == .usage)
            #expect(error.message.contains("the last name") && !error.message.contains("Quasimodo"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: Never.self) { try PlainText.require(nil, field: .phone) }
        #expect(throws: Never.self) { try PlainText.require("line one\n\tline two", field: .plan, layout: .multiLine) }
    }
}
