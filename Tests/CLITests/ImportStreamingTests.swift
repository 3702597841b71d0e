import Foundation
import Testing

/// A CSV of `rows` distinct patients (names from the row number), with the usual header.
private func patientsCSV(rows: Int, startingAt first: Int = 0) -> String {
    var text = "first,last,dob,phone\n"
    for index in first..<first + rows {
        text += "Pat\(index),Row\(index / 7),\(1950 + index % 50)-0\(1 + index % 9)-1\(index % 9),514-555-\(String(format: "%04d", index % 10_000))\n"
    }
    return text
}

@Suite("Streaming patient import: standard input, progress on a terminal")
struct ImportStreamingTests {
    private func site() throws -> ClinicProcess {
        let clinic = ClinicProcess()
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        return clinic
    }

    @Test("--csv - reads the file from standard input, all rows or none")
    func standardInput() throws {
        let clinic = try site()
        let file = scratchFile(clinic, "stdin.csv")
        try Data(patientsCSV(rows: 300).utf8).write(to: URL(fileURLWithPath: file))
        let result = try clinic.run(["import", "patients", "--csv", "-", "--json"], standardInput: URL(fileURLWithPath: file))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.json["imported"] as? Int == 300)
        #expect(result.json["last_chart"] as? String == "MTL-000300")
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: clinic.database).deletingLastPathComponent().appendingPathComponent("-").path))

        // A bad row at the very end of a stream refuses everything before it too.
        try Data((patientsCSV(rows: 3_000, startingAt: 1_000) + "Late,Row,not-a-date,\n").utf8).write(to: URL(fileURLWithPath: file))
        let refused = try clinic.run(["import", "patients", "--csv", "-", "--json"], standardInput: URL(fileURLWithPath: file))
        #expect(refused.status == 65 && refused.errorCode == "bad-file")
        #expect(refused.stderr.contains("line 3002, column 3 (dob)"))
        #expect(try clinic.ok(["site", "show"])["patients"] as? Int == 300)
    }

    @Test("a folder or a missing file is named in the refusal")
    func badPaths() throws {
        let clinic = try site()
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent().path
        let asFolder = try clinic.run(["import", "patients", "--csv", folder])
        #expect(asFolder.status != 0 && asFolder.stderr.contains("\(folder) is a folder"))
        let missing = try clinic.run(["import", "patients", "--csv", folder + "/nope.csv"])
        #expect(missing.stderr.contains("no file at \(folder)/nope.csv"))
    }

    @Test("on a terminal the import draws a progress bar on stderr and wipes it; piped or with --json, none")
    func progressBar() throws {
        let clinic = try site()
        let file = scratchFile(clinic, "big.csv")
        try Data(patientsCSV(rows: 20_000).utf8).write(to: URL(fileURLWithPath: file))
        let shown = try clinic.inTerminal(["import", "patients", "--csv", file])
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("Importing patients ["), "\(shown.stdout.prefix(400))")
        #expect(shown.stdout.contains("100%") && shown.stdout.contains("MB/s") || shown.stdout.contains("kB/s"))
        // The summary is printed after the bar was wiped (a carriage return, blanks, a carriage return).
        let summary = try #require(shown.stdout.range(of: "Imported 20,000 patients") ?? shown.stdout.range(of: "Imported 20000 patients"))
        #expect(shown.stdout[..<summary.lowerBound].hasSuffix("\r"))

        let other = try site()
        let piped = try other.run(["import", "patients", "--csv", file])
        #expect(piped.status == 0 && !piped.stderr.contains("Importing") && !piped.stdout.contains("Importing"))
        let third = try site()
        let json = try third.inTerminal(["import", "patients", "--csv", file, "--json"])
        #expect(json.status == 0 && !json.stdout.contains("Importing patients"))
    }
}

@Suite("Progress bars of sync and FHIR exports on a terminal")
struct LongWorkProgressTests {
    @Test("sync export and import, and export fhir --all, draw a bar on a terminal and none when piped")
    func syncAndFHIR() throws {
        let mtl = try montrealSite()
        let qc = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([mtl, qc])
        let csv = scratchFile(mtl.clinic, "many.csv")
        try Data(patientsCSV(rows: 5_000).utf8).write(to: URL(fileURLWithPath: csv))
        try mtl.clinic.ok(["import", "patients", "--csv", csv])

        let log = scratchFile(mtl.clinic, "for-qc.log")
        let exported = try mtl.clinic.inTerminal(["sync", "export", "--for", "QC", "--to", log])
        #expect(exported.status == 0, "\(exported.stdout)")
        #expect(exported.stdout.contains("Exporting changes [") && exported.stdout.contains("100%"), "\(exported.stdout.prefix(300))")

        let imported = try qc.clinic.inTerminal(["sync", "import", log])
        #expect(imported.status == 0, "\(imported.stdout)")
        #expect(imported.stdout.contains("Importing changes [") && imported.stdout.contains("100%"), "\(imported.stdout.prefix(300))")
        #expect(try qc.clinic.ok(["site", "show"])["patients"] as? Int == 5_003)

        let bundle = scratchFile(mtl.clinic, "all.json")
        let fhir = try mtl.clinic.inTerminal(["export", "fhir", "--all", "--to", bundle, "--as", "jdoe"])
        #expect(fhir.status == 0, "\(fhir.stdout)")
        #expect(fhir.stdout.contains("Reading patients [") && fhir.stdout.contains("100%"), "\(fhir.stdout.prefix(300))")

        let again = scratchFile(mtl.clinic, "again.log")
        let piped = try mtl.clinic.run(["sync", "export", "--for", "QC", "--full", "--to", again])
        #expect(piped.status == 0 && !piped.stderr.contains("Exporting changes"))
    }
}
