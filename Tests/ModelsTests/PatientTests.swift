import Models
import Testing

@Suite("Patient validation")
struct PatientTests {
    static let today = "2026-11-23"

    struct Fields: Sendable, CustomTestStringConvertible {
        var first = "Zéphyrin"
        var last = "Quasimodo"
        var dob = "1980-04-02"
        var phone: String? = "514-555-0142"
        var email: String? = "zquasimodo@example.org"
        var label: String

        var testDescription: String { label }
    }

    static let refusals: [(Fields, String)] = [
        (Fields(first: "", label: "empty first name"), "invalid-name"),
        (Fields(first: "   ", label: "blank first name"), "invalid-name"),
        (Fields(last: "", label: "empty last name"), "invalid-name"),
        (Fields(last: String(repeating: "Quasimodo ", count: 11), label: "110-character last name"), "invalid-name"),
        (Fields(dob: "2026-11-24", label: "born tomorrow"), "invalid-date"),
        (Fields(dob: "1899-12-31", label: "born before 1900"), "invalid-date"),
        (Fields(phone: "555-014", label: "six digits"), "invalid-phone"),
        (Fields(phone: "Quasimodo", label: "phone without digits"), "invalid-phone"),
        (Fields(phone: "514 555 0142" + String(repeating: " ", count: 20), label: "phone over 30 characters"), "invalid-phone"),
        (Fields(email: "zquasimodo.example.org", label: "e-mail without @"), "invalid-email"),
        (Fields(email: "@quasimodo.org", label: "e-mail without a name"), "invalid-email"),
        (Fields(email: "zquasimodo@localhost", label: "e-mail without a dot in the domain"), "invalid-email"),
        (Fields(email: "zephyrin quasimodo@example.org", label: "e-mail with a space"), "invalid-email"),
        (Fields(email: "z@quasimodo@example.org", label: "e-mail with two @"), "invalid-email"),
    ]

    @Test("refuses fields a person mistyped, naming the field and never the value", arguments: refusals)
    func refusal(fields: Fields, code: String) {
        do {
            try validate(fields)
            Issue.record("\(fields.label) was accepted")
        } catch let error as ClinicError {
            #expect(error.code.name == code)
            #expect(error.category == .usage)
            let message = SearchFolding.fold(error.message)
            for fragment in ["zephyrin", "quasimodo", "0142"] {
                #expect(!message.contains(fragment))
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("accepts ordinary records", arguments: [
        Fields(label: "everything"), Fields(phone: nil, email: nil, label: "no phone or e-mail"),
        Fields(first: "Marc-Antoine", last: "St-Pierre", label: "hyphenated names"), Fields(dob: today, label: "born today"),
        Fields(dob: "1900-01-01", label: "born 1900-01-01"), Fields(last: String(repeating: "x", count: 100), label: "100-character name"), Fields(first: "  Ana  ", label: "padded name"),
        Fields(phone: "+1 (514) 555-0142", label: "formatted phone"),
    ])
    func acceptance(fields: Fields) throws {
        try validate(fields)
    }

    func validate(_ fields: Fields) throws {
        try Patient.validate(first: fields.first, last: fields.last, dateOfBirth: date(fields.dob), today: date(Self.today),
                             phone: fields.phone, email: fields.email)
    }
}
