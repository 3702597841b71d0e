import Foundation
import Testing

/// An xterm "set window title" sequence: ESC ] 0 ; … BEL.
private let retitle = "\u{1B}]0;owned\u{07}"

/// True when `text` holds a C0 or C1 control character other than newline.
private func hasRawControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
}

@Suite("Control characters in names and notes are refused at entry and escaped on output")
struct TextSafetyTests {
    @Test("patient add with a control character in a field exits 64 invalid-text, names the option and stores nothing", arguments: [
        ("--last", "Silva" + retitle), ("--first", "Ana\u{9B}2J"), ("--last", "Sil\tva"), ("--first", "A\u{7F}na"),
        ("--phone", "514-555-0101\u{1B}[8m"), ("--email", "ana@example.org\u{85}"),
    ])
    func patientAdd(option: String, value: String) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        var fields = ["--first": "Ana", "--last": "Silva", "--dob": "1980-04-02"]
        fields[option] = value
        let result = sandbox.runClinic(["patient", "add", "--json"] + fields.flatMap { [$0.key, $0.value] })
        #expect(result.status == 64, "\(result.stderr)")
        let error = jsonError(result.stderr)
        #expect(error?.code == "invalid-text", "\(result.stderr)")
        #expect(error?.message.contains(option) == true, "\(result.stderr)")
        #expect(!hasRawControl(result.stderr) && !result.stderr.contains("owned") && !result.stderr.contains("Silva"), "\(result.stderr)")
        #expect(sandbox.siteCount("patients") == 0)
    }

    @Test("every other name and single-line field refuses control characters (64 invalid-text)")
    func otherFields() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        let attempts: [(option: String, arguments: [String])] = [
            ("--name", ["staff", "add", "mroy", "--name", "Marc" + retitle, "--discipline", "physiotherapy"]),
            ("room", ["room", "add", "Bed" + retitle]),
            ("--name", ["service", "add", "massage", "--name", "Massage" + retitle, "--duration", "30m", "--discipline", "physiotherapy"]),
            ("--regulator", ["staff", "credential", "jdoe", "--scope", "acupuncture", "--regulator", "OAQ\u{07}", "--number", "9"]),
            ("--number", ["staff", "credential", "jdoe", "--scope", "acupuncture", "--regulator", "OAQ", "--number", "9\u{1B}[2J"]),
            ("--reason", ["staff", "timeoff", "jdoe", "--from", "2026-12-24 00:00", "--to", "2026-12-27 00:00", "--reason", "away" + retitle]),
            ("--reason", ["cancel", physio, "--reason", "ill" + retitle]),
            ("--risks", ["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising" + retitle, "--as", "jdoe"]),
            ("--guardian", ["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising",
                            "--guardian", "Mom\u{1B}[8m", "--as", "jdoe"]),
            ("--detail", ["note", "adverse", note, "--kind", "bruising", "--detail", "small" + retitle, "--as", "jdoe"]),
            ("--text", ["note", "amend", note, "--text", "later" + retitle, "--as", "jdoe"]),
        ]
        for attempt in attempts {
            let result = try clinic.run(attempt.arguments + ["--json"])
            #expect(result.status == 64, "\(attempt.arguments.prefix(2)): \(result.stderr)")
            #expect(result.errorCode == "invalid-text", "\(attempt.arguments.prefix(2)): \(result.stderr)")
            #expect(jsonError(result.stderr)?.message.contains(attempt.option) == true, "\(result.stderr)")
            #expect(!hasRawControl(result.stderr) && !result.stderr.contains("owned"), "\(result.stderr)")
        }
        let site = try clinic.ok(["site", "show"])
        #expect(site["staff"] as? Int == 4 && site["rooms"] as? Int == 2 && site["services"] as? Int == 2)
        let booked = try clinic.ok(["schedule", "--date", "2026-11-23"])
        #expect(appointments(booked).allSatisfy { $0["status"] as? String == "booked" }, "\(booked)")
        let shown = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect((shown["adverse_events"] as? [Any])?.isEmpty == true)
    }

    @Test("note edit with BEL or ESC exits 64 and leaves the note as it was; newline and tab are kept")
    func noteText() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        let text = "Neck pain since Monday.\n\tWorse when typing;\r\nbetter after walks"
        let refusedCR = try clinic.run(["note", "edit", note, "--subjective", text, "--as", "jdoe", "--json"])
        #expect(refusedCR.status == 64 && refusedCR.errorCode == "invalid-text", "a carriage return is a control character too")
        let kept = "Neck pain since Monday.\n\tWorse when typing;\nbetter after walks"
        try clinic.ok(["note", "edit", note, "--subjective", kept, "--as", "jdoe"])
        for (option, value) in [("--objective", "ROM full\u{07}"), ("--plan", "home exercise" + retitle), ("--assessment", "ok\u{85}")] {
            let refused = try clinic.run(["note", "edit", note, option, value, "--subjective", "replaced", "--as", "jdoe", "--json"])
            #expect(refused.status == 64, "\(option): \(refused.stderr)")
            #expect(refused.errorCode == "invalid-text", "\(option): \(refused.stderr)")
            #expect(jsonError(refused.stderr)?.message.contains(option) == true, "\(refused.stderr)")
        }
        let shown = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect(shown["subjective"] as? String == kept)
        #expect(shown["objective"] as? String == "" && shown["plan"] as? String == "")
        let plain = try clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(plain.stdout.contains("Neck pain since Monday.\n\tWorse when typing;\nbetter after walks"), "\(plain.stdout)")
    }

    @Test("a CSV field with a NUL byte or an escape is refused (65) naming line and column; nothing is imported")
    func csvControlCharacters() throws {
        let clinic = ClinicProcess()
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto"])
        let file = scratchFile(clinic, "nul.csv")
        var bytes = Array("first,last,dob\nAna,Silva,1980-04-02\nBo,Li".utf8) + [0] + Array("ang,1981-05-06\n".utf8)
        bytes += Array("\"Cy\u{1B}]0;x\u{07}\",Ng,1990-01-01\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let result = try clinic.run(["import", "patients", "--csv", file, "--json"])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.errorCode == "bad-file")
        let message = jsonError(result.stderr)?.message ?? ""
        #expect(message.contains("line 3, column 2 (last)"), "\(message)")
        #expect(message.contains("line 4, column 1 (first)"), "\(message)")
        #expect(!message.contains("Li") && !message.contains("Cy") && !hasRawControl(message), "\(message)")
        #expect(try clinic.ok(["site", "show"])["patients"] as? Int == 0)
    }
}
