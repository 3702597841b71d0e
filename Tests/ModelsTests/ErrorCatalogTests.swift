import Foundation
import Models
import Testing

/// `docs/errors.md` is the catalogue as users read it: printed from `ErrorCode.all`, so the two never differ.
@Suite("Error catalogue")
struct ErrorCatalogTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/errors.md")

    @Test("docs/errors.md is the catalogue (set CLINIC_WRITE_DOCS=1 to print it again)")
    func documentMatchesCatalogue() throws {
        let expected = ErrorCatalogDocument.markdown
        if ProcessInfo.processInfo.environment["CLINIC_WRITE_DOCS"] == "1" {
            try expected.write(to: Self.documentURL, atomically: true, encoding: .utf8)
        }
        let written = try String(contentsOf: Self.documentURL, encoding: .utf8)
        #expect(written == expected, "docs/errors.md differs from ErrorCode: run `CLINIC_WRITE_DOCS=1 swift test --filter ErrorCatalogTests`")
    }

    @Test("every code is spelled once, in lower-case words, and reads back by name")
    func spellings() {
        let names = ErrorCode.all.map(\.name)
        #expect(Set(names).count == names.count)
        for code in ErrorCode.all {
            #expect(code.name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(code)")
            #expect(ErrorCode(name: code.name) == code)
            #expect(!code.meaning.isEmpty && code.meaning.hasSuffix("."), "\(code)")
        }
        #expect(ErrorCode(name: "no-such-code") == nil)
    }

    @Test("a code's exit category is fixed by the catalogue", arguments: [
        (ErrorCode.slotTaken, ErrorCategory.refused), (.notAClinician, .refused), (.constraint, .refused),
        (.invalidRole, .usage), (.invalidNeedleSite, .usage), (.badFile, .badInput), (.notInitialised, .io),
        (.unwritable, .io),
    ])
    func categories(code: ErrorCode, category: ErrorCategory) {
        #expect(code.category == category)
        #expect(ClinicError(code, "any").category == category)
    }

    @Test("a message names fields by what they are; a front end spells them its own way")
    func fieldsInMessages() {
        let error = ClinicError(.invalidRange, "\(.endTime) must be after \(.startTime)")
        #expect(error.message == "the end time must be after the start time")
        #expect(error.text.rendered { "<\($0.rawValue)>" } == "<endTime> must be after <startTime>")
        #expect(ErrorMessage("a") + "b" == ErrorMessage(verbatim: "ab"))
    }
}

/// The Markdown of `docs/errors.md`.
enum ErrorCatalogDocument {
    static var markdown: String {
        var lines = [
            "# Error codes",
            "",
            "<!-- Printed from Sources/Models/Errors/ErrorCode.swift by ErrorCatalogTests; do not edit by hand. -->",
            "",
            "Every refusal prints one of these codes: after the message on stderr (`clinic: … [code]`), or as",
            "`{\"error\": {\"code\": \"…\", \"message\": \"…\"}}` on stderr with `--json`. The exit code follows from the",
            "code's category and nothing else.",
            "",
        ]
        let sections: [(ErrorCategory, String)] = [
            (.refused, "Exit 1 — refused by a rule"),
            (.usage, "Exit 64 — wrong on the command line"),
            (.badInput, "Exit 65 — bad content inside an input file"),
            (.io, "Exit 74 — the database or the file system failed"),
        ]
        for (category, title) in sections {
            lines += ["## \(title)", "", "| code | meaning |", "|---|---|"]
            lines += ErrorCode.all.filter { $0.category == category }.map { "| `\($0.name)` | \($0.meaning) |" }
            lines.append("")
        }
        lines += ["## Renamed or recategorised", "", "| before | now | why |", "|---|---|---|"]
        lines += RenamedErrorCode.all.map { "| `\($0.before)` | `\($0.now.name)` (exit \(exitCode($0.now.category))) | \($0.note) |" }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func exitCode(_ category: ErrorCategory) -> Int {
        switch category {
        case .refused: return 1
        case .usage: return 64
        case .badInput: return 65
        case .io: return 74
        }
    }
}
