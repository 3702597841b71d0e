import Foundation
import Testing

@Suite("FHIR export through the real binary, validated with fhir.resources (R4B)")
struct InteropFHIRTests {
    /// clinicalSite() plus a signed dry-needling note (pain 7 → 3, a bruise), the visit completed,
    /// and four more appointments in every other status.
    func signedSite() throws -> ClinicProcess {
        let (clinic, physio, acupuncture) = try clinicalSite()
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising, pneumothorax", "--as", "jdoe"])
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "bilateral", "--count", "2", "--as", "jdoe"])
        try clinic.ok(["note", "edit", note, "--subjective", "Secret neck story", "--pain-before", "7", "--pain-after", "3", "--as", "jdoe"])
        try clinic.ok(["note", "adverse", note, "--kind", "bruising", "--detail", "small bruise left side", "--as", "jdoe"])
        try clinic.ok(["note", "needles-removed", note, "--count", "2", "--as", "jdoe"])
        try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try clinic.ok(["complete", physio])
        try clinic.ok(["checkin", acupuncture])
        for (time, action) in [("2026-11-30 09:00", "noshow"), ("2026-11-30 10:00", "cancel"), ("2026-11-30 11:00", "")] {
            let id = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30",
                                                              "--at", time])).first?["id"] as? String)
            // A no-show is recorded on its day (before it: `too-early`).
            var onTheDay = clinic
            onTheDay.now = "2026-11-30T20:00:00Z"
            if !action.isEmpty { try onTheDay.ok([action, id]) }
        }
        return clinic
    }

    @Test("one patient's bundle is valid R4, holds every resource type, and references resolve inside it")
    func patientBundle() throws {
        let clinic = try signedSite()
        let file = scratchFile(clinic, "patient.json")
        let exported = try clinic.ok(["export", "fhir", "--patient", "MTL-000001", "--to", file, "--as", "jdoe"])
        #expect(exported["resources"] as? Int ?? 0 > 10)
        let result = try runPython("validate_fhir.py", [file])
        #expect(result.status == 0, "validate_fhir.py: \(result.stderr)")
        let summary = pythonSummary(result.stdout)
        let counts = summary["counts"] as? [String: Int] ?? [:]
        for type in ["Patient", "Practitioner", "Location", "HealthcareService", "Appointment", "Encounter", "Procedure", "Consent",
                     "Observation", "AdverseEvent", "Provenance"] {
            #expect((counts[type] ?? 0) > 0, "no \(type) in the bundle")
        }
        #expect(counts["Observation"] == 2 && counts["Encounter"] == 2 && counts["Appointment"] == 5)
        #expect(summary["nprs"] as? [Int] == [3, 7])
        let statuses = Set((summary["appointment_status"] as? [String: String] ?? [:]).values)
        #expect(statuses == ["fulfilled", "arrived", "noshow", "cancelled", "booked"])
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"upper trapezius (bilateral)\"") && text.contains("Needles inserted: 2; removed: 2"))
        #expect(text.contains("\"72514-3\"") && text.contains("\"OPPQ\""))
        #expect(!text.contains("Secret neck story"), "SOAP text is not part of the structured export")
        #expect(counts["Provenance"] == 1, "one Provenance per signed note")
        #expect(text.contains("\"ed25519:") && text.contains("urn:clinic:fhir:signed-document-sha256") && text.contains("\"sigFormat\""),
                "the clinician's signature, its key id and the signed document's digest")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let audit = try clinic.ok(["audit", "--patient", "MTL-000001", "--as", "admin"])
        let actions = (audit["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(actions.contains("fhir-export"))
    }

    @Test("--all exports every patient and validates")
    func allBundle() throws {
        let clinic = try signedSite()
        try clinic.ok(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1990-01-01", "--phone", "514-555-0101"])
        let file = scratchFile(clinic, "all.json")
        try clinic.ok(["export", "fhir", "--all", "--to", file, "--as", "lchen"])
        let result = try runPython("validate_fhir.py", [file])
        #expect(result.status == 0, "validate_fhir.py: \(result.stderr)")
        #expect((pythonSummary(result.stdout)["counts"] as? [String: Int])?["Patient"] == 2)
    }

    @Test("refusals: front desk, no actor, unknown chart, both or neither selector; no file is written", arguments: [
        (["--patient", "MTL-000001", "--as", "desk"], Int32(1), "forbidden"),
        (["--patient", "MTL-000001", "--as", ""], 64, "actor-required"),
        (["--patient", "MTL-000001", "--as", "admin"], 1, "forbidden"),
        (["--patient", "MTL-000099", "--as", "jdoe"], 1, "not-found"),
        (["--patient", "MTL-000001", "--all", "--as", "jdoe"], 64, "usage"),
        (["--as", "jdoe"], 64, "usage"),
    ])
    func refusals(arguments: [String], status: Int32, code: String) throws {
        let (clinic, _, _) = try clinicalSite()
        let file = scratchFile(clinic, "refused.json")
        let result = try clinic.run(["export", "fhir", "--to", file, "--json"] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.errorCode == code, "\(result.stderr)")
        #expect(!result.stderr.contains("Quasimodo") && !result.stderr.contains("Zéphyrin"))
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test("a front-desk attempt is itself audited")
    func refusalAudited() throws {
        let (clinic, _, _) = try clinicalSite()
        _ = try clinic.run(["export", "fhir", "--patient", "MTL-000001", "--to", scratchFile(clinic, "x.json"), "--as", "desk"])
        let audit = try clinic.ok(["audit", "--as", "admin"])
        let outcomes = (audit["entries"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "fhir-export" && $0["actor"] as? String == "desk" }
            .compactMap { $0["outcome"] as? String }
        #expect(outcomes == ["forbidden"])
    }
}
