import Foundation
import Models
@testable import Storage
import Testing

/// Issue 27, item 4: what a clinician sees of a patient and their own notes, through the real binary.
@Suite("The clinician's view")
struct ClinicianViewTests {
    /// The clinical site with a precaution and a consent given then withdrawn on MTL-000001.
    private func siteWithRecords() throws -> (ClinicProcess, physio: String, acupuncture: String) {
        let (clinic, physio, acupuncture) = try clinicalSite()
        try clinic.ok(["patient", "precaution", "MTL-000001", "--add", "pregnancy", "--as", "jdoe"])
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "jdoe"])
        try clinic.ok(["consent", "withdraw", "MTL-000001", "--intervention", "dry-needling", "--date", "2026-11-20", "--as", "jdoe"])
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "acupuncture", "--risks", "fainting", "--date", "2026-11-02", "--as", "lchen"])
        return (clinic, physio, acupuncture)
    }

    @Test("patient show lists active precautions and consents to clinicians, and neither to the desk or the admin")
    func patientShowClinical() throws {
        let (clinic, _, _) = try siteWithRecords()
        let shown = try clinic.ok(["patient", "show", "MTL-000001", "--as", "jdoe"])
        #expect(shown["precautions"] as? [String] == ["pregnancy"])
        let consents = shown["consents"] as? [[String: Any]] ?? []
        #expect(consents.map { $0["intervention"] as? String } == ["dry-needling", "acupuncture"])
        #expect(consents.first?["given"] as? String == "2026-11-01")
        #expect(consents.first?["withdrawn"] as? String == "2026-11-20")
        #expect(consents.last?["withdrawn"] is NSNull)
        let text = try clinic.run(["patient", "show", "MTL-000001", "--as", "jdoe"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Precautions  pregnancy"), "\(text.stdout)")
        #expect(text.stdout.contains("dry-needling given 2026-11-01, withdrawn 2026-11-20"), "\(text.stdout)")
        #expect(text.stdout.contains("acupuncture given 2026-11-02"), "\(text.stdout)")
        for handle in ["desk", "admin"] {
            let json = try clinic.ok(["patient", "show", "MTL-000001", "--as", handle])
            #expect(json["precautions"] == nil && json["consents"] == nil, "\(handle): \(json)")
            let plain = try clinic.run(["patient", "show", "MTL-000001", "--as", handle])
            #expect(plain.status == 0 && !plain.stdout.contains("pregnancy") && !plain.stdout.contains("Consents"), "\(handle): \(plain.stdout)")
        }
    }

    @Test("note start warns of precautions and consents on stderr, never on stdout; --json carries them in the document")
    func noteStartWarning() throws {
        let (clinic, physio, acupuncture) = try siteWithRecords()
        let started = try clinic.run(["note", "start", physio, "--as", "jdoe"])
        #expect(started.status == 0)
        #expect(started.stdout.hasPrefix("Started draft note"), "\(started.stdout)")
        #expect(!started.stdout.contains("pregnancy"))
        #expect(started.stderr.contains("warning: precautions for MTL-000001: pregnancy"), "\(started.stderr)")
        #expect(started.stderr.contains("dry-needling given 2026-11-01, withdrawn 2026-11-20"), "\(started.stderr)")
        let json = try clinic.run(["note", "start", acupuncture, "--as", "lchen", "--json"])
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["precautions"] as? [String] == ["pregnancy"])
        #expect((document["consents"] as? [[String: Any]])?.count == 2)
    }

    @Test("note needle --remove takes a mis-entered site off a draft, is audited, and is refused once signed")
    func removeNeedle() throws {
        var (clinic, physio, _) = try clinicalSite()
        clinic.now = "2026-11-23T15:00:00Z" // 10:00, after the 09:00 session: it may be signed
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "jdoe"])
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", note, "--muscle", "infraspinatus", "--side", "left", "--count", "3", "--as", "jdoe"])
        let both = try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--as", "jdoe"])
        // Positions follow the note's order of sites (time recorded, then id): find where each one is.
        let listed = both["needling"] as? [[String: Any]] ?? []
        let mistake = try #require(listed.firstIndex { $0["muscle"] as? String == "infraspinatus" }) + 1
        let secondID = try #require(listed.first { $0["muscle"] as? String == "upper trapezius" }?["id"] as? String)

        let missing = try clinic.run(["note", "needle", note, "--remove", "3", "--as", "jdoe", "--json"])
        #expect(missing.status == 1 && missing.errorCode == "not-found", "\(missing.stderr)")
        let mixed = try clinic.run(["note", "needle", note, "--remove", "1", "--muscle", "infraspinatus", "--as", "jdoe", "--json"])
        #expect(mixed.status == 64)
        let desk = try clinic.run(["note", "needle", note, "--remove", "1", "--as", "desk", "--json"])
        #expect(desk.status == 1 && desk.errorCode == "forbidden")

        let removed = try clinic.ok(["note", "needle", note, "--remove", String(mistake), "--as", "jdoe"])
        let left = removed["needling"] as? [[String: Any]] ?? []
        #expect(left.map { $0["muscle"] as? String } == ["upper trapezius"])
        #expect(intValue(removed["needles_inserted"]) == 1)
        // By id (its last 8 hex digits) too: the other site goes, then it is back to none.
        let none = try clinic.ok(["note", "needle", note, "--remove", String(secondID.suffix(8)), "--as", "jdoe"])
        #expect((none["needling"] as? [[String: Any]])?.isEmpty == true)
        try clinic.ok(["note", "needle", note, "--muscle", "levator scapulae", "--side", "left", "--as", "jdoe"])
        #expect(try clinic.run(["search", "infraspinatus", "--as", "jdoe", "--json"]).stdout.contains(note) == false)

        try clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
        let signed = try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        #expect((signed["needling"] as? [[String: Any]])?.map { $0["muscle"] as? String } == ["levator scapulae"])
        let late = try clinic.run(["note", "needle", note, "--remove", "1", "--as", "jdoe", "--json"])
        #expect(late.status == 1 && late.errorCode == "note-signed", "\(late.stderr)")
        let shown = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect(shown["hash_verified"] as? Bool == true)
        #expect((shown["needling"] as? [[String: Any]])?.count == 1)

        let audit = try clinic.ok(["audit", "--patient", "MTL-000001", "--as", "admin"])["entries"] as? [[String: Any]] ?? []
        let needleEntries = audit.filter { $0["action"] as? String == "note-needle" }
        #expect(needleEntries.filter { $0["outcome"] as? String == "done" }.count == 5, "\(needleEntries)")
        #expect(needleEntries.contains { $0["outcome"] as? String == "note-signed" })
        #expect(needleEntries.contains { $0["outcome"] as? String == "forbidden" })
    }

    @Test("a site removed from a draft at one site is gone at every site, and the signature agrees everywhere")
    func removeNeedleSyncs() throws {
        var (a, b, c) = try threeSites()
        a.clinic.now = "2026-12-02T17:00:00Z"
        b.clinic.now = a.clinic.now
        c.clinic.now = a.clinic.now
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }, "jdoe's booking: \(day)")
        let bookingID = try #require(booking["id"] as? String)
        let chart = try #require(booking["patient"] as? String)
        try a.clinic.ok(["consent", "record", chart, "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "jdoe"])
        let note = try #require(try a.clinic.ok(["note", "start", bookingID, "--as", "jdoe"])["id"] as? String)
        let mistake = try a.clinic.ok(["note", "needle", note, "--muscle", "infraspinatus", "--side", "left", "--as", "jdoe"])
        let mistakeID = try #require((mistake["needling"] as? [[String: Any]])?.first?["id"] as? String)
        try a.clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--as", "jdoe"])
        try exchangeAll([a, b, c])

        try b.clinic.ok(["note", "needle", note, "--remove", mistakeID, "--as", "jdoe"])
        try exchangeAll([a, b, c])
        for site in [a, b, c] {
            let sites = try site.clinic.ok(["note", "show", note, "--as", "jdoe"])["needling"] as? [[String: Any]] ?? []
            #expect(sites.map { $0["muscle"] as? String } == ["upper trapezius"], "at \(site.code): \(sites)")
        }
        try a.clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
        try a.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try exchangeAll([a, b, c])
        let digests = try [a, b, c].map { try $0.digest() }
        #expect(Set(digests).count == 1, "digests: \(digests)")
        for site in [a, b, c] {
            let shown = try site.clinic.ok(["note", "show", note, "--as", "jdoe"])
            #expect(shown["status"] as? String == "signed" && shown["hash_verified"] as? Bool == true, "at \(site.code): \(shown)")
            #expect((shown["needling"] as? [[String: Any]])?.count == 1, "at \(site.code)")
            let conflicts = try site.conflicts()
            #expect(conflicts.isEmpty, "at \(site.code): \(conflicts)")
        }
    }

    @Test("notes --unsigned lists the actor's own drafts across patients, and nobody else's")
    func unsignedNotes() throws {
        let (clinic, physio, acupuncture) = try clinicalSite()
        try clinic.ok(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02"])
        let other = appointments(try clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-23 11:00"]))
        let first = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        let otherID = try #require(other.first?["id"] as? String)
        let second = try #require(try clinic.ok(["note", "start", otherID, "--as", "jdoe"])["id"] as? String)
        let foreign = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
        let mine = try clinic.ok(["notes", "--unsigned", "--as", "jdoe"])["notes"] as? [[String: Any]] ?? []
        #expect(mine.compactMap { $0["id"] as? String } == [first, second])
        #expect(mine.compactMap { $0["patient"] as? String } == ["MTL-000001", "MTL-000002"])
        #expect(!mine.contains { $0["id"] as? String == foreign })
        let text = try clinic.run(["notes", "--unsigned", "--as", "jdoe"])
        #expect(text.status == 0 && text.stdout.contains("MTL-000002") && text.stdout.contains("dn-30"), "\(text.stdout)")
        #expect(try clinic.run(["notes", "--unsigned", "--as", "desk", "--json"]).errorCode == "forbidden")
        #expect(try clinic.run(["notes", "--as", "jdoe", "--json"]).status == 64)
        let none = try clinic.run(["notes", "--unsigned", "--as", "lchen"])
        #expect(none.stdout.contains(IDSuffix.short(foreign)))
    }

    @Test("notes shows assessment, plan and outcome measures; --csv gives one quoted row per note")
    func notesContent() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--assessment", "Myofascial pain, \"upper\" trapezius", "--plan", "Reassess in one week",
                       "--pain-before", "6", "--pain-after", "3", "--ndi", "18", "--odi", "30", "--psfs", "4.5", "--as", "jdoe"])
        let text = try clinic.run(["notes", "--patient", "MTL-000001", "--as", "jdoe"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Assessment Myofascial pain, \"upper\" trapezius"), "\(text.stdout)")
        #expect(text.stdout.contains("Plan       Reassess in one week"), "\(text.stdout)")
        #expect(text.stdout.contains("NPRS 6→3, NDI 18, ODI 30, PSFS 4.5"), "\(text.stdout)")

        let csv = try clinic.run(["notes", "--patient", "MTL-000001", "--csv", "--as", "jdoe"])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "date,patient,note,author,service,status,sites,needles_inserted,needles_removed,pain_before,pain_after,ndi,odi,psfs,assessment,plan,adverse_events")
        #expect(lines.count == 2)
        #expect(lines.last == "2026-11-23,MTL-000001,\(note),jdoe,dn-30,draft,,0,0,6,3,18,30,4.5,\"Myofascial pain, \"\"upper\"\" trapezius\",Reassess in one week,")
        #expect(try clinic.run(["notes", "--patient", "MTL-000001", "--csv", "--as", "desk"]).status == 1)
    }

    @Test("search matches word prefixes and recorded points and muscles")
    func searchPrefixesAndSites() throws {
        let (clinic, physio, acupuncture) = try clinicalSite()
        let dn = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", dn, "--muscle", "upper trapezius", "--side", "right", "--as", "jdoe"])
        try clinic.ok(["note", "edit", dn, "--assessment", "Cervicalgia", "--as", "jdoe"])
        let acu = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
        try clinic.ok(["note", "needle", acu, "--point", "LI4", "--side", "bilateral", "--count", "2", "--as", "lchen"])
        try clinic.ok(["note", "needle", acu, "--point", "EX-HN3", "--as", "lchen"])

        func hits(_ text: String) throws -> [String] {
            (try clinic.ok(["search", text, "--as", "jdoe"])["results"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String ?? $0["note_id"] as? String }
        }
        #expect(try hits("trap*") == [dn])
        #expect(try hits("trap").isEmpty)
        #expect(try hits("cervical*") == [dn])
        #expect(try hits("LI4") == [acu])
        #expect(try hits("li4") == [acu])
        #expect(try hits("EX-HN3") == [acu])
    }

    @Test("the WHO extra points and the NADA ear points are accepted by note needle", arguments: [
        ("EX-HN3", "midline"), ("ex-hn5", "left"), ("EX-B2", "bilateral"), ("EX-UE9", "right"), ("EX-LE4", "left"), ("NADA2", "left"),
        ("EX-CA1", "bilateral"), ("nada5", "right"),
    ])
    func extraPoints(point: String, side: String) throws {
        let (clinic, _, acupuncture) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
        let recorded = try clinic.ok(["note", "needle", note, "--point", point, "--side", side, "--count", side == "bilateral" ? "2" : "1", "--as", "lchen"])
        #expect((recorded["needling"] as? [[String: Any]])?.first?["point"] as? String == point.uppercased())
        let refused = try clinic.run(["note", "needle", note, "--point", "EX-HN16", "--side", "left", "--as", "lchen", "--json"])
        #expect(refused.status == 64 && refused.stderr.contains("EX-HN1–EX-HN15"), "\(refused.stderr)")
    }

    @Test("report outcomes follows NDI, ODI and PSFS from first to last visit, per patient and overall")
    func outcomesMeasures() throws {
        var (clinic, physio, _) = try clinicalSite()
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "jdoe"])
        let later = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-30 09:00"]))
        clinic.now = "2026-11-30T16:00:00Z"
        let laterID = try #require(later.first?["id"] as? String)
        for (appointment, ndi, odi, psfs) in [(physio, "20", "40", "3"), (laterID, "12", "30", "6.5")] {
            let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
            try clinic.ok(["note", "edit", note, "--ndi", ndi, "--odi", odi, "--psfs", psfs, "--pain-before", "6", "--pain-after", "4", "--as", "jdoe"])
            try clinic.ok(["note", "needle", note, "--muscle", "infraspinatus", "--side", "left", "--as", "jdoe"])
            try clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
            try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        }
        let report = try clinic.ok(["report", "outcomes", "--from", "2026-11-01", "--until", "2026-11-30", "--as", "jdoe"])
        let measures = report["measures"] as? [[String: Any]] ?? []
        #expect(measures.map { $0["measure"] as? String } == ["ndi", "odi", "psfs"])
        #expect(measures.map { $0["mean_change"] as? Double } == [-8, -10, 3.5])
        let courses = report["courses"] as? [[String: Any]] ?? []
        #expect(courses.map { $0["chart"] as? String } == ["MTL-000001", "MTL-000001", "MTL-000001"])
        #expect(courses.first?["first"] as? Double == 20 && courses.first?["last"] as? Double == 12)
        let text = try clinic.run(["report", "outcomes", "--from", "2026-11-01", "--until", "2026-11-30", "--as", "jdoe"])
        #expect(text.stdout.contains("NDI, ODI and PSFS from first to last visit"), "\(text.stdout)")
        #expect(text.stdout.contains("−8"), "\(text.stdout)")
        #expect(text.stdout.contains("+3.5"), "\(text.stdout)")
    }

    @Test("a schema 16 database upgrades: its recorded points become searchable and removals are captured for sync")
    func upgradeFromSchema16() throws {
        let (clinic, physio, acupuncture) = try clinicalSite()
        let acu = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
        try clinic.ok(["note", "needle", acu, "--point", "LI4", "--side", "left", "--as", "lchen"])
        let dn = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", dn, "--muscle", "upper trapezius", "--side", "right", "--as", "jdoe"])
        // Back to schema 16 as the previous release left it: no removals table, no points or muscles in the index.
        do {
            let db = try Database(path: clinic.database)
            try db.executeScript("""
                DROP TRIGGER needling_text_insert;
                DROP TRIGGER needling_text_delete;
                DROP TRIGGER needling_removal_text;
                DROP TRIGGER needling_removal_locked;
                DROP TRIGGER capture_needling_removal_insert;
                DROP TABLE needling_removal;
                DELETE FROM note_text WHERE source = 'needling';
                PRAGMA user_version = 16;
                """)
            #expect(try db.first("SELECT COUNT(*) FROM note_text WHERE note_text MATCH 'li4'")?.int(0) == 0)
        }
        let found = try clinic.ok(["search", "LI4", "--as", "jdoe"])["results"] as? [[String: Any]] ?? []
        #expect(found.compactMap { $0["note"] as? String } == [acu])
        let prefixed = try clinic.ok(["search", "trap*", "--as", "jdoe"])["results"] as? [[String: Any]] ?? []
        #expect(prefixed.compactMap { $0["note"] as? String } == [dn])
        try clinic.ok(["note", "needle", dn, "--remove", "1", "--as", "jdoe"])
        let db = try Database(path: clinic.database)
        #expect(try db.schemaVersion() == Migrations.latest)
        #expect(try db.first("SELECT COUNT(*) FROM change WHERE tbl = 'needling_removal'")?.int(0) == 1)
        let after = try clinic.ok(["search", "trap*", "--as", "jdoe"])["results"] as? [[String: Any]] ?? []
        #expect(after.isEmpty, "a removed muscle is no longer found: \(after)")
    }
}
