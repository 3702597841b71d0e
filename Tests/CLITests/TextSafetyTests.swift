import Foundation
import Testing

/// An xterm "set window title" sequence: ESC ] 0 ; … BEL.
private let retitle = "\u{1B}]0;owned\u{07}"

/// Runs the `sqlite3` shell on a database and returns what it printed; the test stops when it is missing or fails.
@discardableResult
private func sqlite(_ database: String, _ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", database, script]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "sqlite3: \(message)", sourceLocation: sourceLocation)
    return printed
}

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

    @Test("names and note text written around the checks (an older peer, sqlite3) are shown escaped, never raw")
    func outputEscapes() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--subjective", "first line\n\tindented", "--as", "jdoe"])
        // The sqlite3 shell lacks the function the change-capture triggers call: written around them, as by another program.
        let dropCapture = try sqlite(clinic.database, """
            SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'capture%' AND tbl_name IN ('patient', 'note');
            """)
        try sqlite(clinic.database, dropCapture + """
            UPDATE patient SET last = 'Quasi' || char(27) || ']0;owned' || char(7) || 'modo' || char(155) || '2J';
            UPDATE note SET plan = 'rest' || char(27) || '[2J' || char(10) || char(9) || 'then walk';
            """)
        for arguments in [["patient", "find", "zephyrin"], ["patient", "show", "MTL-000001"], ["note", "show", note, "--as", "jdoe"],
                          ["schedule", "--date", "2026-11-23"]] {
            let result = try clinic.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let raw = result.stdout.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
            #expect(raw.isEmpty, "\(arguments) printed raw control characters: \(raw.map(\.value))")
        }
        let found = try clinic.run(["patient", "find", "zephyrin"])
        #expect(found.stdout.contains("Quasi\\u{1B}]0;owned\\u{07}modo\\u{9B}2J"), "\(found.stdout)")
        let shown = try clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(shown.stdout.contains("first line\n\tindented"), "\(shown.stdout)")
        #expect(shown.stdout.contains("rest\\u{1B}[2J\n\tthen walk"), "\(shown.stdout)")
        let json = try clinic.ok(["patient", "show", "MTL-000001"])
        #expect(json["last"] as? String == "Quasi\u{1B}]0;owned\u{07}modo\u{9B}2J", "JSON keeps the stored value, escaped by JSON itself")
    }
}
