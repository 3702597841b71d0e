import Foundation
import Models
import Testing

@Suite("Passphrase policy")
struct PassphrasePolicyTests {
    @Test("refused as weak-passphrase: short, spaces padding, few different characters, common, holding the handle",
          arguments: ["short", "        ", " x      ", "aaaaaaaa", "abababababab", "password", "12345678", "  PassWord  ", "Qwertyuiop",
                      "jdoe-is-here-2026", "my JDOE passphrase"])
    func refused(_ passphrase: String) {
        #expect(throws: ClinicError.self) { try PassphrasePolicy.validate(passphrase, handle: "jdoe") }
        do { try PassphrasePolicy.validate(passphrase, handle: "jdoe") } catch let error as ClinicError {
            #expect(error.code.name == "weak-passphrase")
            #expect(!error.message.contains(passphrase.trimmingCharacters(in: .whitespaces)) || passphrase.trimmingCharacters(in: .whitespaces).isEmpty,
                    "the message never repeats the passphrase")
        } catch { Issue.record("\(error)") }
    }

    @Test("accepted: long enough, varied, not common, without the handle",
          arguments: ["test passphrase 2026", "correct horse battery", "jane's own 2026", "Tr0ub4dor&3"])
    func accepted(_ passphrase: String) throws {
        try PassphrasePolicy.validate(passphrase, handle: "jdoe")
    }

    @Test("a handle shorter than 3 characters is not looked for")
    func shortHandle() throws {
        try PassphrasePolicy.validate("bench p0 passphrase", handle: "p0")
    }
}
