import Foundation
import Storage
import Testing

/// A site with a physiotherapist (dry needling), an acupuncturist (acupuncture only), the front desk,
/// and one booked appointment each with patient MTL-000001 ("Zéphyrin Quasimodo").
func clinicalSite(sessions: Bool = true) throws -> (ClinicProcess, physio: String, acupuncture: String) {
    let clinic = ClinicProcess(sessions: sessions)
    try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
    try clinic.ok(["room", "add", "Bed 1"])
    try clinic.ok(["room", "add", "Bed 2"])
    try clinic.ok(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy"])
    try clinic.ok(["staff", "add", "lchen", "--name", "Li Chen", "--discipline", "acupuncture"])
    try clinic.ok(["staff", "add", "desk", "--name", "Front Desk", "--role", "front-desk"])
    try clinic.ok(["staff", "credential", "jdoe", "--scope", "dry-needling", "--regulator", "OPPQ", "--number", "1"])
    try clinic.ok(["staff", "credential", "lchen", "--scope", "acupuncture", "--regulator", "OAQ", "--number", "2"])
    for handle in ["jdoe", "lchen"] {
        try clinic.ok(["staff", "hours", handle, "--day", "mon", "--from", "08:00", "--to", "16:00"])
    }
    try clinic.ok(["service", "add", "dn-30", "--name", "Dry needling", "--duration", "30m", "--discipline", "physiotherapy", "--requires", "dry-needling"])
    try clinic.ok(["service", "add", "acu-45", "--name", "Acupuncture", "--duration", "45m", "--discipline", "acupuncture", "--requires", "acupuncture"])
    try clinic.ok(["patient", "add", "--first", "Zéphyrin", "--last", "Quasimodo", "--dob", "1980-04-02"])
    let dn = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-23 09:00"]))
    let acu = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "lchen", "--service", "acu-45", "--at", "2026-11-23 10:00"]))
    return (clinic, try #require(dn.first?["id"] as? String), try #require(acu.first?["id"] as? String))
}

@Suite("Clinical records through the real binary")
struct ClinicalCLITests {
    @Test("note sign refuses each missing condition in turn, then signs and locks the note")
    func signingFlow() throws {
        let (clinic, physio, _) = try clinicalSite()
        let jdoe = ["--as", "jdoe", "--json"]
        let refusedStart = try clinic.run(["note", "start", physio, "--as", "lchen", "--json"])
        #expect(refusedStart.status == 1 && refusedStart.errorCode == "forbidden")
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        #expect(try clinic.run(["note", "start", physio] + jdoe).errorCode == "duplicate")
        #expect(try clinic.run(["note", "needle", note, "--point", "LI4", "--side", "left"] + jdoe).errorCode == "not-qualified")
        #expect(try clinic.run(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--estim", "2Hz,15m"] + jdoe).errorCode == "not-qualified")
        try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--gauge", "0.25", "--length", "30",
                       "--depth", "15mm", "--technique", "pistoning", "--count", "2", "--as", "jdoe"])
        try clinic.ok(["note", "edit", note, "--subjective", "Douleur cervicale après télétravail", "--pain-before", "7", "--pain-after", "3", "--as", "jdoe"])
        #expect(try clinic.run(["note", "edit", note, "--pain-before", "11"] + jdoe).status == 64)
        #expect(try clinic.run(["note", "edit", note, "--ndi", "51"] + jdoe).status == 64)

        #expect(try clinic.run(["note", "sign", note] + jdoe).errorCode == "no-consent")
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising, soreness, pneumothorax", "--as", "jdoe"])
        let mismatch = try clinic.run(["note", "sign", note] + jdoe)
        #expect(mismatch.status == 1 && mismatch.errorCode == "needle-count-mismatch")
        try clinic.ok(["note", "needles-removed", note, "--count", "2", "--as", "jdoe"])
        let signed = try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        #expect(signed["status"] as? String == "signed")
        #expect((signed["hash"] as? String)?.count == 64)

        let edit = try clinic.run(["note", "edit", note, "--plan", "changed"] + jdoe)
        #expect(edit.status == 1 && edit.errorCode == "note-signed")
        #expect(try clinic.run(["note", "needle", note, "--muscle", "levator scapulae", "--side", "left"] + jdoe).errorCode == "note-signed")
        let amended = try clinic.ok(["note", "amend", note, "--text", "Patient called: soreness resolved next day", "--as", "jdoe"])
        let amendments = amended["amendments"] as? [[String: Any]] ?? []
        #expect(amendments.count == 1)
        #expect(amendments.first?["amends_hash"] as? String == signed["hash"] as? String)
        let shown = try clinic.ok(["note", "show", note, "--as", "lchen"])
        #expect(shown["hash_verified"] as? Bool == true)
        #expect(shown["subjective"] as? String == "Douleur cervicale après télétravail")
    }

    @Test("a contraindication must be acknowledged by its rule code before signing")
    func contraindication() throws {
        let (site, _, acupuncture) = try clinicalSite()
        var clinic = site
        clinic.now = "2026-11-23T15:45:00Z" // 10:45, during the 10:00 session: it may be signed
        let note = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
        try clinic.ok(["patient", "precaution", "MTL-000001", "--add", "pregnancy", "--as", "lchen"])
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "acupuncture", "--risks", "bruising, fainting", "--as", "lchen"])
        try clinic.ok(["note", "needle", note, "--point", "li-4", "--side", "bilateral", "--count", "2", "--as", "lchen"])
        try clinic.ok(["note", "needle", note, "--point", "ST36", "--side", "left", "--as", "lchen"])
        try clinic.ok(["note", "needles-removed", note, "--count", "3", "--as", "lchen"])
        let refused = try clinic.run(["note", "sign", note, "--as", "lchen", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "contraindication")
        #expect(refused.stderr.contains("pregnancy:LI4"))
        #expect(!refused.stderr.contains("ST36"))
        let signed = try clinic.ok(["note", "sign", note, "--acknowledge", "pregnancy:LI4", "--as", "lchen"])
        #expect(signed["acknowledged"] as? [String] == ["pregnancy:LI4"])
        #expect(try clinic.run(["note", "needle", note, "--point", "LU12", "--side", "left", "--as", "lchen", "--json"]).status == 64)
    }

    @Test("withdrawn consent stops signing; consent under 16 needs a guardian")
    func consentRules() throws {
        let (clinic, physio, _) = try clinicalSite()
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "jdoe"])
        try clinic.ok(["consent", "withdraw", "MTL-000001", "--intervention", "dry-needling", "--date", "2026-11-20", "--as", "jdoe"])
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", note, "--muscle", "infraspinatus", "--side", "left", "--as", "jdoe"])
        try clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
        #expect(try clinic.run(["note", "sign", note, "--as", "jdoe", "--json"]).errorCode == "no-consent")

        try clinic.ok(["patient", "add", "--first", "Léa", "--last", "Jeune", "--dob", "2015-06-01"])
        let minor = try clinic.run(["consent", "record", "MTL-000002", "--intervention", "dry-needling", "--risks", "bruising", "--as", "jdoe", "--json"])
        #expect(minor.status == 1 && minor.errorCode == "guardian-required")
        try clinic.ok(["consent", "record", "MTL-000002", "--intervention", "dry-needling", "--risks", "bruising", "--guardian", "Parent Jeune", "--as", "jdoe"])
    }

    @Test("the front desk cannot read notes; reads and refusals are audited; search folds accents")
    func rolesAuditSearch() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--assessment", "Épicondylalgie latérale, point gâchette actif", "--as", "jdoe"])
        let forbidden = try clinic.run(["note", "show", note, "--as", "desk", "--json"])
        #expect(forbidden.status == 1 && forbidden.errorCode == "forbidden")
        #expect(!forbidden.stderr.contains("Épicondylalgie"))
        #expect(try clinic.run(["search", "gachette", "--as", "desk", "--json"]).errorCode == "forbidden")
        let missingActor = try clinic.run(["note", "show", note, "--as", "", "--json"])
        #expect(missingActor.status == 64 && missingActor.errorCode == "actor-required")

        let hits = try clinic.ok(["search", "GACHETTE epicondylalgie", "--as", "lchen"])["results"] as? [[String: Any]] ?? []
        #expect(hits.count == 1)
        #expect((hits.first?["snippet"] as? String)?.contains("[gâchette]") == true)

        try clinic.ok(["note", "show", note, "--as", "lchen"])
        let audit = try clinic.ok(["audit", "--patient", "MTL-000001", "--as", "admin"])["entries"] as? [[String: Any]] ?? []
        let summary = audit.map { "\($0["actor"] as? String ?? "") \($0["action"] as? String ?? "") \($0["outcome"] as? String ?? "")" }
        #expect(summary.contains("lchen note-read done"))
        #expect(summary.contains("desk note-read forbidden"))
        #expect(summary.contains("jdoe note-edit done"))
        #expect(summary.contains("- note-read actor-required"), "\(summary)")
        let history = try clinic.run(["notes", "--patient", "MTL-000001", "--as", "jdoe"])
        #expect(history.status == 0 && history.stdout.contains("draft"))
    }

    @Test("search puts the note that mentions a word most first, and equal matches newest first")
    func searchOrder() throws {
        let (clinic, physio, _) = try clinicalSite()
        let later = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30",
                                                           "--at", "2026-11-30 09:00"])).first?["id"] as? String)
        let third = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30",
                                                           "--at", "2026-12-07 09:00"])).first?["id"] as? String)
        var notes: [String] = []
        for (appointment, assessment) in [(physio, "Upper trapezius tender"), (later, "Upper trapezius tender"),
                                          (third, "Trapezius taut band; trapezius twitch response; trapezius referral to the neck")] {
            let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
            try clinic.ok(["note", "edit", note, "--assessment", assessment, "--as", "jdoe"])
            notes.append(note)
        }
        let hits = try clinic.ok(["search", "trapezius", "--as", "jdoe"])["results"] as? [[String: Any]] ?? []
        #expect(hits.compactMap { $0["note"] as? String } == [notes[2], notes[1], notes[0]])
    }

    @Test("a signed note is immutable in SQL too, and a tampered row fails verification")
    func tamperDetection() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--plan", "Home exercise: chin tucks", "--as", "jdoe"])
        try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        let db = try Database(path: clinic.database)
        #expect(throws: StorageError.self) { try db.execute("UPDATE note SET plan = 'altered' WHERE id = ?", [note]) }
        #expect(throws: StorageError.self) { try db.execute("DELETE FROM audit") }
        try db.executeScript("DROP TRIGGER note_signed_no_update")
        try db.execute("UPDATE note SET plan = 'altered' WHERE id = ?", [note])
        let shown = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect(shown["hash_verified"] as? Bool == false)
        let text = try clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(text.stdout.contains("WARNING"))
    }
}
