import Foundation
import Testing

@Suite("clinic patient")
struct PatientCommandTests {
    @Test("patient add --json prints the new chart number and id")
    func addJSON() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let first = sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let patient = try #require(jsonObject(first.stdout), "not JSON: \(first.stdout)")
        #expect(patient["chart"] as? String == "MTL-000001")
        let id = try #require(patient["id"] as? String)
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuid.6 >> 4 == 7, "ids are UUIDv7")
        #expect(id == id.lowercased())

        let second = sandbox.runClinic(["patient", "add", "--first", "João", "--last", "Gonçalves", "--dob", "1975-11-30"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("MTL-000002"))
        #expect(sandbox.siteCount("patients") == 2)
    }

    @Test("patient add with a malformed or impossible date of birth exits 64 invalid-date", arguments: [
        "1980-13-01", "1980-02-30", "80-04-02", "1980/04/02", "yesterday", "2027-01-01", "1899-12-31",
    ])
    func addBadDate(dob: String) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let result = sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", dob, "--json"])
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == "invalid-date")
        #expect(sandbox.siteCount("patients") == 0)
    }

    @Test("patient find ignores accents and case", arguments: ["Helene", "helene", "HÉLÈNE", "tremblay", "hel trem"])
    func findAccents(text: String) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        #expect(sandbox.runClinic(["patient", "add", "--first", "Hélène", "--last", "Tremblay", "--dob", "1980-04-02"]).status == 0)
        #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02"]).status == 0)
        let found = sandbox.runClinic(["patient", "find", text, "--json"])
        #expect(found.status == 0, "\(found.stderr)")
        let patients = jsonObject(found.stdout)?["patients"] as? [[String: Any]]
        #expect(patients?.compactMap { $0["first"] as? String } == ["Hélène"])
        #expect(patients?.first?["chart"] as? String == "MTL-000001")

        let plain = sandbox.runClinic(["patient", "find", text])
        #expect(plain.stdout.contains("Hélène"))
        #expect(!plain.stdout.contains("Silva"))
    }

    @Test("patient show prints the record; an unknown chart exits 1 not-found")
    func show() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02"]).status == 0)
        let shown = sandbox.runClinic(["patient", "show", "mtl-000001", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(jsonObject(shown.stdout)?["last"] as? String == "Silva")
        #expect(jsonObject(shown.stdout)?["dob"] as? String == "1980-04-02")
        let plain = sandbox.runClinic(["patient", "show", "MTL-000001"])
        #expect(plain.stdout.contains("46 years"), "age on CLINIC_NOW 2026-11-23: \(plain.stdout)")

        let missing = sandbox.runClinic(["patient", "show", "MTL-000042", "--json"])
        #expect(missing.status == 1)
        #expect(jsonError(missing.stderr)?.code == "not-found")
        let garbage = sandbox.runClinic(["patient", "show", "42", "--json"])
        #expect(garbage.status == 64)
        #expect(jsonError(garbage.stderr)?.code == "invalid-chart")
    }

    @Test("errors never carry the patient's name")
    func errorsKeepNamesOut() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let add = ["patient", "add", "--first", "Zéphyrin", "--last", "Quasimodo"]
        let created = sandbox.runClinic(add + ["--dob", "1980-04-02", "--phone", "514-555-0142", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        let chart = try #require(jsonObject(created.stdout)?["chart"] as? String)

        let failures: [[String]] = [
            add + ["--dob", "2030-01-01"],
            add + ["--dob", "Quasimodo"],
            add + ["--dob", "1980-04-02", "--email", "zephyrin quasimodo@example"],
            add + ["--dob", "1980-04-02", "--phone", "Quasimodo"],
            ["patient", "add", "--first", "Zéphyrin", "--last", " ", "--dob", "1980-04-02"],
            ["patient", "show", "Zéphyrin Quasimodo"],
            ["patient", "show", "MTL-000099"],
            ["book", "--patient", chart, "--with", "nobody", "--service", "none", "--at", "2026-12-01 09:00", "--as", "admin"],
            ["book", "--patient", chart, "--with", "admin", "--service", "none", "--at", "2026-03-08 02:30", "--as", "admin"],
        ]
        for arguments in failures {
            for json in [false, true] {
                let result = sandbox.runClinic(arguments + (json ? ["--json"] : []))
                let label = arguments.joined(separator: " ") + (json ? " --json" : "")
                #expect(result.status != 0, "\(label) succeeded")
                #expect(!result.stderr.isEmpty, "\(label) gave no reason")
                let output = (result.stdout + result.stderr).decomposedStringWithCanonicalMapping.lowercased()
                for fragment in ["quasimodo", "zephyrin", "ze\u{0301}phyrin", "0142"] {
                    #expect(!output.contains(fragment), "\(label) printed \(fragment): \(result.stderr)")
                }
            }
        }
        #expect(sandbox.siteCount("patients") == 1)
    }

    @Test("patient add with the folded name and date of birth of a chart exits 1 duplicate naming that chart, unless --allow-duplicate")
    func likelyDuplicate() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        #expect(sandbox.runClinic(["patient", "add", "--first", "Hélène", "--last", "Côté", "--dob", "1980-04-02"]).status == 0)
        #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1975-11-30"]).status == 0)

        let again = ["patient", "add", "--first", " HELENE", "--last", "cote ", "--dob", "1980-04-02", "--phone", "514-555-0199"]
        let refused = sandbox.runClinic(again + ["--json"])
        #expect(refused.status == 1, "\(refused.stderr)")
        let error = jsonError(refused.stderr)
        #expect(error?.code == "duplicate")
        #expect(error?.message.contains("MTL-000001") == true, "\(refused.stderr)")
        #expect(error?.message.contains("--allow-duplicate") == true, "\(refused.stderr)")
        let folded = refused.stderr.decomposedStringWithCanonicalMapping.lowercased()
        for fragment in ["helene", "he\u{0301}le\u{0300}ne", "cote", "co\u{0302}te", "1980", "0199"] {
            #expect(!folded.contains(fragment), "the refusal shows \(fragment): \(refused.stderr)")
        }
        #expect(sandbox.siteCount("patients") == 2)

        let otherBirthday = sandbox.runClinic(["patient", "add", "--first", "Hélène", "--last", "Côté", "--dob", "1980-04-03", "--json"])
        #expect(otherBirthday.status == 0, "\(otherBirthday.stderr)")
        #expect(jsonObject(otherBirthday.stdout)?["chart"] as? String == "MTL-000003")

        let allowed = sandbox.runClinic(again + ["--allow-duplicate", "--json"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(jsonObject(allowed.stdout)?["chart"] as? String == "MTL-000004")
        #expect(sandbox.siteCount("patients") == 4)
    }
}
