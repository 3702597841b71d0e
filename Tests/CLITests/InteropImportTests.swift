import Foundation
import Testing

/// A fresh initialised site with no patients.
private func emptySite() throws -> ClinicProcess {
    let clinic = ClinicProcess()
    try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
    return clinic
}

private func write(_ text: String, bom: Bool = false, to clinic: ClinicProcess, name: String = "patients.csv") throws -> String {
    let path = scratchFile(clinic, name)
    try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
    return path
}

private func patientCount(_ clinic: ClinicProcess) throws -> Int {
    try clinic.ok(["site", "show"])["patients"] as? Int ?? -1
}

@Suite("CSV patient import through the real binary")
struct InteropImportTests {
    @Test("an Excel-style export (BOM, semicolons, aliases, quoted line breaks, DD/MM/YYYY) imports every row")
    func excelExport() throws {
        let clinic = try emptySite()
        let csv = "Prénom;Surname;Date_of_Birth;Mobile;E-mail;Notes\r\n"
            + "Hélène;\"Côté; \"\"Lena\"\"\";02/04/1980;514-555-0101;helene@example.org;\"allergic to tape\r\nsee file\"\r\n"
            + "Zéphyrin;Quasimodo;31/12/1975;;;\r\n"
        let file = try write(csv, bom: true, to: clinic)
        let result = try clinic.ok(["import", "patients", "--csv", file, "--date-format", "dmy"])
        #expect(result["imported"] as? Int == 2)
        #expect(result["first_chart"] as? String == "MTL-000001" && result["last_chart"] as? String == "MTL-000002")
        #expect(result["ignored_columns"] as? [String] == ["Notes"])
        let shown = try clinic.ok(["patient", "show", "MTL-000001"])
        #expect(shown["last"] as? String == "Côté; \"Lena\"" && shown["dob"] as? String == "1980-04-02")
        #expect(shown["phone"] as? String == "514-555-0101")
        #expect((try clinic.ok(["patient", "find", "helene"])["patients"] as? [Any])?.count == 1)
    }

    @Test("any bad row refuses the whole file (65, bad-file), naming every line and column and no value")
    func badRows() throws {
        let clinic = try emptySite()
        let csv = "first,last,dob,phone,email\nAna,Silva,1980-04-02,,\n,Quasimodo,1980-04-02,,\n\"Bo\",Li,\"02/04/1980\",12,\"two\nlines\"\nCy,Ng,1990-01-01,,cy@example.org\n"
        let result = try clinic.run(["import", "patients", "--csv", try write(csv, to: clinic), "--json"])
        #expect(result.status == 65)
        #expect(result.errorCode == "bad-file")
        let message = jsonError(result.stderr)?.message ?? ""
        #expect(message.contains("line 3, column 1 (first)"))
        #expect(message.contains("line 4, column 3 (dob)") && message.contains("line 4, column 4 (phone)") && message.contains("line 4, column 5 (email)"))
        #expect(message.contains("nothing was imported"))
        for value in ["Silva", "Quasimodo", "02/04/1980", "two", "Ana"] { #expect(!message.contains(value), "message leaks \(value)") }
        #expect(try patientCount(clinic) == 0)
    }

    @Test("structural problems and unreadable input", arguments: [
        ("first,last,dob\nAna,\"Silva,1980-04-02\n", Int32(65), "bad-file", "line 2, column 2"),
        ("first,last\nAna,Silva\n", 65, "bad-file", "line 1"),
        ("", 65, "bad-file", "line 1"),
        ("first,last,dob\nAna,Silva,1980-04-02,extra\n", 65, "bad-file", "line 2, column 4"),
    ])
    func structure(csv: String, status: Int32, code: String, place: String) throws {
        let clinic = try emptySite()
        let result = try clinic.run(["import", "patients", "--csv", try write(csv, to: clinic), "--json"])
        #expect(result.status == status && result.errorCode == code, "\(result.stderr)")
        #expect(jsonError(result.stderr)?.message.contains(place) == true, "\(result.stderr)")
        #expect(try patientCount(clinic) == 0)
    }

    @Test("a missing file or a bad --date-format is a command-line error")
    func usage() throws {
        let clinic = try emptySite()
        let missing = try clinic.run(["import", "patients", "--csv", scratchFile(clinic, "nope.csv"), "--json"])
        #expect(missing.status == 64 && missing.errorCode == "no-such-file")
        let format = try clinic.run(["import", "patients", "--csv", try write("first,last,dob\n", to: clinic), "--date-format", "ymd"])
        #expect(format.status == 64)
    }

    @Test("likely duplicates refuse the file; --skip-duplicates leaves them out; --allow-duplicates keeps them")
    func duplicates() throws {
        let clinic = try emptySite()
        try clinic.ok(["patient", "add", "--first", "Hélène", "--last", "Côté", "--dob", "1975-06-01"])
        let csv = "first_name,last_name,birthdate\nHELENE,cote,1975-06-01\nAna,Silva,1980-04-02\nana,SILVA,1980-04-02\nBo,Li,1990-01-01\n"
        let file = try write(csv, to: clinic)
        let refused = try clinic.run(["import", "patients", "--csv", file, "--json"])
        #expect(refused.status == 1 && refused.errorCode == "duplicate")
        let message = jsonError(refused.stderr)?.message ?? ""
        #expect(message.contains("line 2 matches MTL-000001") && message.contains("line 4 repeats line 3"))
        #expect(!message.contains("Silva") && !message.contains("HELENE"))
        #expect(try patientCount(clinic) == 1)
        let skipped = try clinic.ok(["import", "patients", "--csv", file, "--skip-duplicates"])
        #expect(skipped["imported"] as? Int == 2)
        #expect((skipped["duplicates"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [2, 4])
        #expect(try patientCount(clinic) == 3)
        let other = try emptySite()
        try other.ok(["patient", "add", "--first", "Hélène", "--last", "Côté", "--dob", "1975-06-01"])
        #expect(try other.ok(["import", "patients", "--csv", file, "--allow-duplicates"])["imported"] as? Int == 4)
        #expect(try other.run(["import", "patients", "--csv", file, "--skip-duplicates", "--allow-duplicates"]).status == 64)
    }

    @Test("100,000 rows import in one transaction")
    func large() throws {
        let clinic = try emptySite()
        var csv = "first,last,dob,phone,email\n"
        csv.reserveCapacity(6_000_000)
        for index in 0..<100_000 {
            csv += "Given\(index),Family\(index % 977),19\(50 + index % 50)-0\(1 + index % 9)-1\(index % 9),514-555-\(1000 + index % 9000),p\(index)@example.org\n"
        }
        let file = try write(csv, to: clinic)
        let started = Date()
        let result = try clinic.ok(["import", "patients", "--csv", file])
        let seconds = Date().timeIntervalSince(started)
        #expect(result["imported"] as? Int == 100_000)
        #expect(result["last_chart"] as? String == "MTL-100000")
        #expect(seconds < 120, "a debug build took \(seconds) s; the release target is < 5 s")
    }
}
