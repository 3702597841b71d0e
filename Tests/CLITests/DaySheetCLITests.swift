import Foundation
import Testing

/// The locales the golden files are made under.
private let utf8Locale = ["LANG": "C.UTF-8", "LC_ALL": "", "LC_CTYPE": "", "TERM": "xterm"]
private let cLocale = ["LANG": "C", "LC_ALL": "", "LC_CTYPE": "", "TERM": "xterm"]

/// Box-drawing characters and the grid's Unicode marks, none of which may appear in ASCII output.
private let unicodeDrawing: [Character] = ["─", "│", "·", "✓", "✗", "…", "█"]

/// A day of the scheduling site: Hélène Côté with jdoe at 09:00 (arrived), Ana Silva with mroy at 09:00,
/// and a patient with a long name with jdoe at 10:00, at 09:05 on 2026-12-01 (14:05Z).
private func busyDay() throws -> (ClinicProcess, [String: String]) {
    var clinic = try schedulingSite()
    clinic.now = "2026-12-01T14:05:00Z"
    try clinic.ok(["patient", "add", "--first", "Maximilienne-Éléonore", "--last", "Vandenberghe-Desrochers", "--dob", "1975-06-07"])
    let helene = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30",
                                                            "--at", "2026-12-01 09:00", "--room", "Bed 1"])).first?["id"] as? String)
    try clinic.ok(["book", "--patient", "MTL-000001", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:00", "--room", "Bed 2"])
    try clinic.ok(["book", "--patient", "MTL-000004", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 10:00", "--room", "Bed 1"])
    try clinic.ok(["checkin", helene])
    // Ids are random: golden files show each short id as a placeholder of the same width, by start then practitioner.
    let day = appointments(try clinic.ok(["schedule", "--date", "2026-12-01"]))
        .sorted { ($0["start"] as? String ?? "", $0["practitioner"] as? String ?? "") < ($1["start"] as? String ?? "", $1["practitioner"] as? String ?? "") }
    var placeholders: [String: String] = [:]
    for (index, appointment) in day.enumerated() {
        let id = (appointment["id"] as? String ?? "").replacingOccurrences(of: "-", with: "")
        placeholders[String(id.suffix(8))] = String(format: "appt%04d", index + 1)
    }
    return (clinic, placeholders)
}

private func normalised(_ text: String, _ placeholders: [String: String]) -> String {
    placeholders.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
}

/// Compares `text` with Tests/CLITests/Golden/`name`; `CLINIC_WRITE_GOLDEN=1` rewrites the file instead.
private func expectGolden(_ text: String, _ name: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["CLINIC_WRITE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs; got:\n\(text)")
}

@Suite("The day sheet a desk works from: ids, names, statuses, the width, the locale and the pager")
struct DaySheetCLITests {
    @Test("each grid cell shows chart, service, the name, the short id checkin takes, the status and the room")
    func cellsCarryWhatTheDeskNeeds() throws {
        let (clinic, _) = try busyDay()
        let day = appointments(try clinic.ok(["schedule", "--date", "2026-12-01"]))
        let grid = try clinic.run(["schedule", "--date", "2026-12-01", "--as", "desk"], environment: ["COLUMNS": ""].merging(utf8Locale) { $1 })
        #expect(grid.status == 0, "\(grid.stderr)")
        for appointment in day {
            let short = String((appointment["id"] as? String ?? "").replacingOccurrences(of: "-", with: "").suffix(8))
            #expect(grid.stdout.contains(short), "\(short) in:\n\(grid.stdout)")
        }
        for text in ["Hélène Côté", "Ana Silva", "arrived", "booked", "Bed 1", "Bed 2", "MTL-000002 physio-30"] {
            #expect(grid.stdout.contains(text), "\(text) in:\n\(grid.stdout)")
        }
        // The id shown is the one `checkin` takes.
        let ana = try #require(day.first { $0["patient"] as? String == "MTL-000001" }?["id"] as? String)
        let short = String(ana.replacingOccurrences(of: "-", with: "").suffix(8))
        try clinic.ok(["checkin", short])
        let after = try clinic.run(["schedule", "--date", "2026-12-01"], environment: ["COLUMNS": ""])
        #expect(after.stdout.components(separatedBy: "arrived").count == 3, "\(after.stdout)")
        // By room: no room line, the room is the column.
        let byRoom = try clinic.run(["schedule", "--date", "2026-12-01", "--by-room"], environment: ["COLUMNS": ""])
        #expect(byRoom.stdout.split(separator: "\n").filter { $0.contains("Bed 1") }.count == 1, "\(byRoom.stdout)")
    }

    @Test("a narrow terminal shortens names with a mark, never silently; every line fits")
    func narrowCutsWithAMark() throws {
        let (clinic, _) = try busyDay()
        for (environment, mark) in [(utf8Locale, "…"), (cLocale, "...")] {
            for columns in [30, 24] {
                let grid = try clinic.run(["schedule", "--date", "2026-12-01"], environment: environment.merging(["COLUMNS": String(columns)]) { $1 })
                #expect(grid.status == 0, "\(grid.stderr)")
                let lines = grid.stdout.split(separator: "\n")
                #expect(lines.allSatisfy { $0.count <= columns }, "COLUMNS=\(columns):\n\(grid.stdout)")
                // First names become initials, then the rest is shortened with the mark.
                #expect(grid.stdout.contains("M.-É.") && !grid.stdout.contains("Vandenberghe-Desrochers"), "\(grid.stdout)")
                #expect(lines.filter { $0.contains("M.-É.") }.allSatisfy { $0.hasSuffix(mark) }, "\(grid.stdout)")
            }
        }
    }

    @Test("golden grids and patient lists at 80 and 120 columns, under UTF-8 and LANG=C")
    func goldenTables() throws {
        let (clinic, placeholders) = try busyDay()
        for (locale, environment) in [("utf8", utf8Locale), ("C", cLocale)] {
            for columns in [80, 120] {
                let env = environment.merging(["COLUMNS": String(columns)]) { $1 }
                let grid = try clinic.run(["schedule", "--date", "2026-12-01", "--as", "desk"], environment: env)
                #expect(grid.status == 0, "\(grid.stderr)")
                try expectGolden(normalised(grid.stdout, placeholders), "schedule-day-\(columns)-\(locale).txt")
                let found = try clinic.run(["patient", "find", "a", "--as", "desk"], environment: env)
                #expect(found.status == 0, "\(found.stderr)")
                try expectGolden(found.stdout, "patient-find-\(columns)-\(locale).txt")
                if locale == "C" {
                    #expect(!grid.stdout.contains(where: unicodeDrawing.contains), "\(grid.stdout)")
                    #expect(!found.stdout.contains(where: unicodeDrawing.contains), "\(found.stdout)")
                }
            }
        }
        let dumb = try clinic.run(["schedule", "--date", "2026-12-01"], environment: utf8Locale.merging(["TERM": "dumb", "COLUMNS": "80"]) { $1 })
        #expect(dumb.status == 0 && !dumb.stdout.contains(where: unicodeDrawing.contains), "\(dumb.stdout)")
        let utf8 = try clinic.run(["schedule", "--date", "2026-12-01"], environment: utf8Locale.merging(["LC_ALL": "C", "COLUMNS": "80"]) { $1 })
        #expect(!utf8.stdout.contains("─"), "LC_ALL wins over LANG:\n\(utf8.stdout)")
    }

    @Test("patient find --csv: a header and one quoted line a patient; refused with --json")
    func patientFindCSV() throws {
        let clinic = try schedulingSite()
        try clinic.ok(["patient", "add", "--first", "Jean, fils", "--last", "D'Amours", "--dob", "1990-01-02", "--phone", "514-555-1000"])
        let csv = try clinic.run(["patient", "find", "amours", "--csv", "--as", "desk"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == "chart,last,first,dob,phone,email\nMTL-000004,D'Amours,\"Jean, fils\",1990-01-02,514-555-1000,\n", "\(csv.stdout)")
        #expect(try clinic.run(["patient", "find", "amours", "--csv", "--json"]).status == 64)
    }

    /// Runs `clinic ARGUMENTS` on a pseudo-terminal (through `script`), with `PAGER` a script that
    /// records it ran and what it was given; returns the terminal's transcript and the pager's record.
    private func onTerminal(_ clinic: ClinicProcess, _ arguments: [String], pager: String?, extra: [String: String] = [:]) throws
        -> (transcript: String, paged: String?, pagerEnvironment: String?) {
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent()
        let record = folder.appendingPathComponent("paged-\(UUID().uuidString)")
        let script = folder.appendingPathComponent("pager.sh")
        try "#!/bin/sh\nenv > \"$PAGER_RECORD.env\"\ncat > \"$PAGER_RECORD\"\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        var environment = utf8Locale.merging(["COLUMNS": "100", "PAGER_RECORD": record.path]) { $1 }
        environment["PAGER"] = pager == "script" ? script.path : pager
        environment.merge(extra) { $1 }
        let transcript = try clinic.inTerminal(arguments, environment: environment).stdout
        return (transcript, try? String(contentsOf: record, encoding: .utf8),
                try? String(contentsOf: URL(fileURLWithPath: record.path + ".env"), encoding: .utf8))
    }

    @Test("on a terminal a week goes through $PAGER without the passphrase; not piped, not --json, not PAGER=cat or empty")
    func weekThroughThePager() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let (clinic, _) = try busyDay()
        let week = ["schedule", "--week", "2026-12-01"]
        let paged = try onTerminal(clinic, week, pager: "script")
        #expect(paged.paged?.contains("Hélène Côté") == true, "pager got: \(paged.paged ?? "nothing"); terminal:\n\(paged.transcript)")
        #expect(!paged.transcript.contains("Hélène Côté"), "\(paged.transcript)")
        #expect(paged.pagerEnvironment?.contains("CLINIC_PASSPHRASE") == false, "\(paged.pagerEnvironment ?? "")")
        #expect(!paged.transcript.contains("\u{1B}["), "no colour or escapes: \(paged.transcript)")

        let json = try onTerminal(clinic, week + ["--json"], pager: "script")
        #expect(json.paged == nil && json.transcript.contains("\"appointments\""), "\(json.transcript)")
        let csv = try onTerminal(clinic, week + ["--csv"], pager: "script")
        #expect(csv.paged == nil && csv.transcript.contains("local_start"), "\(csv.transcript)")
        for pager in ["cat", ""] {
            let plain = try onTerminal(clinic, week, pager: pager)
            #expect(plain.transcript.contains("Hélène Côté"), "PAGER='\(pager)': \(plain.transcript)")
        }
        // A day shorter than the terminal prints straight; taller than it, it is paged.
        let short = try onTerminal(clinic, ["schedule", "--date", "2026-12-01"], pager: "script", extra: ["LINES": "200"])
        #expect(short.paged == nil && short.transcript.contains("Hélène Côté"), "\(short.transcript)")
        let tall = try onTerminal(clinic, ["schedule", "--date", "2026-12-01"], pager: "script", extra: ["LINES": "5"])
        #expect(tall.paged?.contains("Hélène Côté") == true, "\(tall.transcript)")

        // Piped: the pager never runs.
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent()
        let record = folder.appendingPathComponent("paged-piped")
        let piped = try clinic.run(week, environment: ["PAGER": "touch '\(record.path)'; cat"])
        #expect(piped.status == 0 && piped.stdout.contains("Hélène Côté"))
        #expect(!FileManager.default.fileExists(atPath: record.path))
    }
}
