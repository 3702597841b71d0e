import Foundation
import Testing

/// Issue 27: patients kept right — edits, archiving and merging a duplicate chart.
@Suite("clinic patient edit, archive, merge")
struct PatientUpkeepTests {
    func charts(_ clinic: ClinicProcess, _ text: String, _ extra: [String] = []) throws -> [String] {
        (try clinic.ok(["patient", "find", text] + extra)["patients"] as? [[String: Any]] ?? []).compactMap { $0["chart"] as? String }
    }

    @Test("patient edit changes the fields given, keeps the others, and never echoes a value in errors or the audit log", arguments: Backend.allCases)
    func edit(backend: Backend) throws {
        let clinic = try schedulingSite(backend)
        let edited = try clinic.ok(["patient", "edit", "MTL-000001", "--last", "Silva-Lima", "--phone", "(514) 555-0123",
                                    "--address", "12 rue Saint-Denis, Montréal", "--emergency-contact", "Rui Lima 514-555-0999", "--as", "desk"])
        #expect(edited["last"] as? String == "Silva-Lima")
        let shown = try clinic.ok(["patient", "show", "MTL-000001"])
        #expect(shown["first"] as? String == "Ana")
        #expect(shown["last"] as? String == "Silva-Lima")
        #expect(shown["dob"] as? String == "1980-04-02")
        #expect(shown["phone"] as? String == "(514) 555-0123")
        #expect(shown["address"] as? String == "12 rue Saint-Denis, Montréal")
        #expect(shown["emergency_contact"] as? String == "Rui Lima 514-555-0999")
        #expect(try charts(clinic, "silvalima") == ["MTL-000001"])
        #expect(try charts(clinic, "514-555-0123") == ["MTL-000001"])

        let cleared = try clinic.ok(["patient", "edit", "MTL-000001", "--address", "", "--dob", "1981-05-06"])
        #expect(cleared["dob"] as? String == "1981-05-06")
        #expect(try clinic.ok(["patient", "show", "MTL-000001"])["address"] is NSNull)
        #expect(try clinic.ok(["patient", "show", "MTL-000001"])["emergency_contact"] as? String == "Rui Lima 514-555-0999")

        let badPhone = try clinic.run(["patient", "edit", "MTL-000001", "--phone", "Zorglub 12", "--json"])
        #expect(badPhone.status == 64 && badPhone.errorCode == "invalid-phone", "\(badPhone.stderr)")
        #expect(!badPhone.stderr.contains("Zorglub"))
        let control = try clinic.run(["patient", "edit", "MTL-000001", "--address", "Zorglub\u{1B}[2J", "--json"])
        #expect(control.status == 64 && control.errorCode == "invalid-text", "\(control.stderr)")
        #expect(!control.stderr.contains("Zorglub"))
        let nothing = try clinic.run(["patient", "edit", "MTL-000001", "--json"])
        #expect(nothing.status == 64, "\(nothing.stderr)")
        let unknown = try clinic.run(["patient", "edit", "MTL-000042", "--first", "Zorglub", "--json"])
        #expect(unknown.status == 1 && unknown.errorCode == "not-found")
        #expect(!unknown.stderr.contains("Zorglub"))

        let audit = try clinic.run(["audit", "--patient", "MTL-000001", "--json"])
        #expect(audit.stdout.contains("patient-edit"))
        for value in ["Saint-Denis", "555-0123", "Rui Lima", "Silva-Lima", "Zorglub"] {
            #expect(!audit.stdout.contains(value), "the audit log holds \(value)")
        }
    }

    @Test("an archived chart is hidden from find unless --archived, takes no booking (1 archived), and keeps its history", arguments: Backend.allCases)
    func archive(backend: Backend) throws {
        let clinic = try montrealSite(backend).clinic
        #expect(try clinic.ok(["patient", "archive", "MTL-000001", "--as", "desk"])["archived"] as? Bool == true)
        #expect(try charts(clinic, "silva").isEmpty)
        #expect(try charts(clinic, "silva", ["--archived"]) == ["MTL-000001"])
        let shown = try clinic.ok(["patient", "show", "MTL-000001"])
        #expect(shown["archived"] as? Bool == true)
        #expect(appointments(try clinic.ok(["appointments", "--patient", "MTL-000001"])).count == 1)
        let book = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                   "--at", "2026-12-03 09:00", "--json"])
        #expect(book.status == 1 && book.errorCode == "archived", "\(book.stderr)")
        #expect(try clinic.run(["patient", "archive", "MTL-000001", "--as", "jdoe", "--json"]).errorCode == "forbidden")
    }

    @Test("patient merge: the dropped chart reads as the kept one everywhere, its rows keep their ids; find lists the kept chart once", arguments: Backend.allCases)
    func merge(backend: Backend) throws {
        let clinic = try montrealSite(backend).clinic
        let before = appointments(try clinic.ok(["appointments", "--patient", "MTL-000002"])).compactMap { $0["id"] as? String }
        #expect(before.count == 1)
        let merged = try clinic.ok(["patient", "merge", "MTL-000001", "MTL-000002"])
        #expect(merged["kept"] as? String == "MTL-000001" && merged["merged"] as? String == "MTL-000002")

        #expect(try clinic.ok(["patient", "show", "MTL-000002"])["chart"] as? String == "MTL-000001")
        let kept = appointments(try clinic.ok(["appointments", "--patient", "MTL-000001"])).compactMap { $0["id"] as? String }
        #expect(kept.count == 2 && kept.contains(before[0]))
        #expect(appointments(try clinic.ok(["appointments", "--patient", "MTL-000002"])).compactMap { $0["id"] as? String } == kept)
        // Côté (the chart merged) and Silva (the chart kept) are one person now, listed once as the chart kept.
        #expect(try charts(clinic, "cote") == ["MTL-000001"])
        #expect(try charts(clinic, "MTL-00000") == ["MTL-000003", "MTL-000001"])
        // Booking the merged chart books the kept one.
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-03 09:00"])
        #expect(appointments(try clinic.ok(["appointments", "--patient", "MTL-000001"])).count == 3)

        for (keep, drop, code, status) in [("MTL-000001", "MTL-000001", "invalid-target", 1), ("MTL-000002", "MTL-000003", "invalid-target", 1),
                                           ("MTL-000003", "MTL-000002", "invalid-target", 1), ("MTL-000003", "MTL-000042", "not-found", 1),
                                           ("MTL-000003", "42", "invalid-chart", 64)] {
            let refused = try clinic.run(["patient", "merge", keep, drop, "--json"])
            #expect(refused.status == Int32(status) && refused.errorCode == code, "merge \(keep) \(drop): \(refused.stderr)")
        }
        #expect(try clinic.run(["patient", "merge", "MTL-000003", "MTL-000001", "--as", "desk", "--json"]).errorCode == "forbidden")
        let audit = try clinic.run(["audit", "--limit", "30", "--json"])
        #expect(audit.stdout.contains("patient-merge"))
    }

    @Test("edits, archiving and a merge travel to the other sites")
    func syncs() throws {
        let (a, b, _) = try threeSites()
        try send(a, b)
        try a.clinic.ok(["patient", "edit", "MTL-000003", "--address", "9 rue Laval"])
        try a.clinic.ok(["patient", "archive", "MTL-000003"])
        try a.clinic.ok(["patient", "merge", "MTL-000001", "MTL-000002"])
        try send(a, b)
        let shown = try b.clinic.ok(["patient", "show", "MTL-000003", "--as", b.admin])
        #expect(shown["address"] as? String == "9 rue Laval")
        #expect(shown["archived"] as? Bool == true)
        #expect(try b.clinic.ok(["patient", "show", "MTL-000002", "--as", b.admin])["chart"] as? String == "MTL-000001")
        #expect(appointments(try b.clinic.ok(["appointments", "--patient", "MTL-000001", "--as", b.admin])).count == 2)
    }
}

@Suite("clinic patient merge: clinical reads follow the chart kept")
struct PatientMergeClinicalTests {
    @Test("notes and export fhir by either chart read the kept chart with the merged chart's signed note, unchanged, and the bundle validates")
    func notesAndFHIR() throws {
        let clinic = try InteropFHIRTests().signedSite()
        try clinic.ok(["patient", "add", "--first", "Anna", "--last", "Silva", "--dob", "1980-04-03"])
        func canonical(_ json: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        }
        let before = try canonical(try clinic.ok(["notes", "--patient", "MTL-000001", "--as", "jdoe"]))
        #expect(before.contains("\"status\":\"signed\""))
        try clinic.ok(["patient", "merge", "MTL-000002", "MTL-000001"])
        for chart in ["MTL-000001", "MTL-000002"] {
            let after = try canonical(try clinic.ok(["notes", "--patient", chart, "--as", "jdoe"]))
            #expect(after == before.replacingOccurrences(of: "MTL-000001", with: "MTL-000002"),
                    "notes of \(chart) after the merge")
        }
        let file = scratchFile(clinic, "merged.json")
        try clinic.ok(["export", "fhir", "--patient", "MTL-000001", "--to", file, "--as", "jdoe"])
        let result = try runPython("validate_fhir.py", [file])
        #expect(result.status == 0, "validate_fhir.py: \(result.stderr)")
        let counts = pythonSummary(result.stdout)["counts"] as? [String: Int] ?? [:]
        #expect(counts["Patient"] == 1 && counts["Appointment"] == 5 && counts["Provenance"] == 1 && counts["Consent"] == 1, "\(counts)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("MTL-000002") && !text.contains("MTL-000001"))
        let all = scratchFile(clinic, "all.json")
        try clinic.ok(["export", "fhir", "--all", "--to", all, "--as", "jdoe"])
        let allResult = try runPython("validate_fhir.py", [all])
        #expect(allResult.status == 0, "validate_fhir.py: \(allResult.stderr)")
        #expect((pythonSummary(allResult.stdout)["counts"] as? [String: Int])?["Patient"] == 1)
    }
}

extension PatientMergeClinicalTests {
    @Test("a consent recorded on the chart kept counts for a session booked under the chart merged into it")
    func consentAcrossMerge() throws {
        let (clinic, physio, _) = try clinicalSite()
        try clinic.ok(["patient", "add", "--first", "Anna", "--last", "Silva", "--dob", "1980-04-03"])
        try clinic.ok(["patient", "merge", "MTL-000002", "MTL-000001"])
        try clinic.ok(["consent", "record", "MTL-000002", "--intervention", "dry-needling", "--risks", "bruising, pneumothorax", "--as", "jdoe"])
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "left", "--count", "1", "--as", "jdoe"])
        try clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
        let signed = try clinic.run(["note", "sign", note, "--as", "jdoe", "--json"])
        #expect(signed.status == 0, "\(signed.stderr)")
    }
}

extension PatientUpkeepTests {
    @Test("after a merge the kept chart clashes with the merged chart's bookings, and every booking shows the kept chart")
    func mergedBookings() throws {
        let clinic = try montrealSite().clinic
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-04 10:00"])
        try clinic.ok(["patient", "merge", "MTL-000003", "MTL-000002"])
        let clash = try clinic.run(["book", "--patient", "MTL-000003", "--with", "jdoe", "--service", "physio-30",
                                    "--at", "2026-12-04 10:00", "--json"])
        #expect(clash.status == 1 && clash.errorCode == "slot-taken", "\(clash.stderr)")
        let listed = appointments(try clinic.ok(["appointments", "--patient", "MTL-000003"]))
        #expect(listed.count == 3)
        #expect(Set(listed.compactMap { $0["patient"] as? String }) == ["MTL-000003"])
        // Merged again: the chart merged first follows to the chart kept last.
        try clinic.ok(["patient", "merge", "MTL-000001", "MTL-000003"])
        let all = appointments(try clinic.ok(["appointments", "--patient", "MTL-000002"]))
        #expect(all.count == 4)
        #expect(Set(all.compactMap { $0["patient"] as? String }) == ["MTL-000001"])
        #expect(try clinic.ok(["patient", "show", "MTL-000002"])["chart"] as? String == "MTL-000001")
    }
}
