import Foundation
import Testing

/// A site whose appointments move under their notes: physiotherapists jdoe (dry needling, no expiry)
/// and mroy (dry needling until 2026-11-20), both working Mondays, a plain physio service (so a move
/// is never refused for scope) and patient MTL-000001. The clock stands at Monday 2026-11-23 09:00.
func movingNotesSite() throws -> ClinicProcess {
    let clinic = ClinicProcess()
    try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
    try clinic.ok(["room", "add", "Bed 1"])
    try clinic.ok(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy"])
    try clinic.ok(["staff", "add", "mroy", "--name", "Marc Roy", "--discipline", "physiotherapy"])
    try clinic.ok(["staff", "credential", "jdoe", "--scope", "dry-needling", "--regulator", "OPPQ", "--number", "1"])
    try clinic.ok(["staff", "credential", "mroy", "--scope", "dry-needling", "--regulator", "OPPQ", "--number", "2", "--expires", "2026-11-20"])
    for handle in ["jdoe", "mroy"] {
        try clinic.ok(["staff", "hours", handle, "--day", "mon", "--from", "08:00", "--to", "16:00"])
    }
    try clinic.ok(["service", "add", "physio-30", "--name", "Physio", "--duration", "30m", "--discipline", "physiotherapy"])
    try clinic.ok(["patient", "add", "--first", "Zéphyrin", "--last", "Quasimodo", "--dob", "1980-04-02"])
    return clinic
}

extension ClinicProcess {
    /// Books MTL-000001 for a physio session and returns the appointment id.
    func bookPhysio(with handle: String, at time: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let booked = appointments(try ok(["book", "--patient", "MTL-000001", "--with", handle, "--service", "physio-30", "--at", time],
                                         sourceLocation: sourceLocation))
        return try #require(booked.first?["id"] as? String, sourceLocation: sourceLocation)
    }

    /// Starts the note of an appointment and records one dry-needling site, inserted and removed,
    /// so that only consent, scope and the session's date and practitioner decide whether it signs.
    func needledDraft(_ appointment: String, as handle: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let note = try #require(try ok(["note", "start", appointment, "--as", handle], sourceLocation: sourceLocation)["id"] as? String,
                                sourceLocation: sourceLocation)
        try ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--as", handle], sourceLocation: sourceLocation)
        try ok(["note", "needles-removed", note, "--count", "1", "--as", handle], sourceLocation: sourceLocation)
        return note
    }

    /// The appointment as `schedule --json` lists it on its day.
    func scheduled(_ appointment: String, on date: String) throws -> [String: Any]? {
        appointments(try ok(["schedule", "--date", date])).first { $0["id"] as? String == appointment }
    }
}

@Suite("Notes are written and signed for their appointment as it now stands")
struct NoteSessionCLITests {
    struct ConsentMove: Sendable, CustomTestStringConvertible {
        let label: String, recorded: String, withdrawn: String?, bookedAt: String, movedTo: String, movedDate: String
        var testDescription: String { label }
    }

    @Test("a draft moved to a date its consent does not cover is refused no-consent", arguments: [
        ConsentMove(label: "consent withdrawn before the new date", recorded: "2026-11-01", withdrawn: "2026-11-20",
                    bookedAt: "2026-11-16 09:00", movedTo: "2026-11-23 09:00", movedDate: "2026-11-23"),
        ConsentMove(label: "consent not yet given on the new date", recorded: "2026-11-20", withdrawn: nil,
                    bookedAt: "2026-11-23 09:00", movedTo: "2026-11-16 09:00", movedDate: "2026-11-16"),
    ])
    func consentFollowsTheMove(_ move: ConsentMove) throws {
        let clinic = try movingNotesSite()
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", move.recorded, "--as", "jdoe"])
        if let withdrawn = move.withdrawn {
            try clinic.ok(["consent", "withdraw", "MTL-000001", "--intervention", "dry-needling", "--date", withdrawn, "--as", "jdoe"])
        }
        let appointment = try clinic.bookPhysio(with: "jdoe", at: move.bookedAt)
        let note = try clinic.needledDraft(appointment, as: "jdoe")
        try clinic.ok(["reschedule", appointment, "--at", move.movedTo])

        #expect(try clinic.ok(["note", "show", note, "--as", "jdoe"])["session_date"] as? String == move.movedDate,
                "the draft follows its appointment")
        let refused = try clinic.run(["note", "sign", note, "--as", "jdoe", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "no-consent", "\(refused.stderr)")
        #expect(try clinic.ok(["note", "show", note, "--as", "jdoe"])["status"] as? String == "draft")
    }

    @Test("a draft moved past the end of its practitioner's credential is refused not-qualified")
    func credentialFollowsTheMove() throws {
        let clinic = try movingNotesSite()
        try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--date", "2026-11-01", "--as", "mroy"])
        let appointment = try clinic.bookPhysio(with: "mroy", at: "2026-11-16 09:00")
        let note = try clinic.needledDraft(appointment, as: "mroy")
        try clinic.ok(["reschedule", appointment, "--at", "2026-11-23 09:00"])

        let refused = try clinic.run(["note", "sign", note, "--as", "mroy", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "not-qualified", "\(refused.stderr)")
        let needle = try clinic.run(["note", "needle", note, "--muscle", "infraspinatus", "--side", "left", "--as", "mroy", "--json"])
        #expect(needle.status == 1 && needle.errorCode == "not-qualified", "needling is checked on the new date too: \(needle.stderr)")
    }

    @Test("a draft with entries keeps its practitioner: the desk cannot hand one clinician's unsigned entries to another")
    func entriesStayWithTheirAuthor() throws {
        let clinic = try movingNotesSite()
        let appointment = try clinic.bookPhysio(with: "jdoe", at: "2026-11-23 09:00")
        let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--as", "jdoe"])
        let refused = try clinic.run(["reschedule", appointment, "--at", "2026-11-23 09:00", "--with", "mroy", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "has-draft", "\(refused.stderr)")
        #expect(refused.stderr.contains("'jdoe'") && !refused.stderr.contains("trapezius"))
        #expect(try clinic.ok(["note", "show", note, "--as", "jdoe"])["author"] as? String == "jdoe")
        // Another time with the same practitioner still moves it; removing the entry frees the practitioner again.
        try clinic.ok(["reschedule", appointment, "--at", "2026-11-23 10:00"])
        try clinic.ok(["note", "needle", note, "--remove", "1", "--as", "jdoe"])
        try clinic.ok(["reschedule", appointment, "--at", "2026-11-23 09:00", "--with", "mroy"])
        #expect(try clinic.ok(["note", "show", note, "--as", "mroy"])["author"] as? String == "mroy")
    }

    @Test("an empty draft moved to another practitioner is theirs: the old one is forbidden, the new one signs")
    func practitionerFollowsTheMove() throws {
        let clinic = try movingNotesSite()
        let appointment = try clinic.bookPhysio(with: "jdoe", at: "2026-11-23 09:00")
        let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["reschedule", appointment, "--at", "2026-11-23 09:00", "--with", "mroy"])

        let jdoe = ["--as", "jdoe", "--json"]
        for command in [["note", "edit", note, "--plan", "Chin tucks"],
                        ["note", "needle", note, "--muscle", "upper trapezius", "--side", "right"],
                        ["note", "needles-removed", note, "--count", "0"],
                        ["note", "adverse", note, "--kind", "bruising", "--detail", "small bruise"],
                        ["note", "sign", note]] {
            let refused = try clinic.run(command + jdoe)
            #expect(refused.status == 1 && refused.errorCode == "forbidden", "\(command[1]) by the former practitioner: \(refused.stderr)")
            #expect(!refused.stderr.contains("Cervicalgie") && !refused.stderr.contains("Quasimodo"))
        }
        let draft = try clinic.ok(["note", "show", note, "--as", "mroy"])
        #expect(draft["author"] as? String == "mroy")
        #expect(draft["plan"] as? String == "")

        try clinic.ok(["note", "edit", note, "--plan", "Chin tucks", "--as", "mroy"])
        let signed = try clinic.ok(["note", "sign", note, "--as", "mroy"])
        #expect(signed["status"] as? String == "signed")
        #expect(signed["signed_by"] as? String == "mroy")
        #expect(signed["author"] as? String == "mroy")
        #expect(signed["session_date"] as? String == "2026-11-23")
    }

    @Test("a session that has not started yet cannot be signed until it has", arguments: [
        ("2026-11-23 10:00", "2026-11-23T15:00:00Z"),
        ("2027-05-24 09:00", "2027-05-24T13:00:00Z"),
    ])
    func tooEarly(bookedAt: String, startsAt: String) throws {
        var clinic = try movingNotesSite()
        let appointment = try clinic.bookPhysio(with: "jdoe", at: bookedAt)
        let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--plan", "Chin tucks", "--as", "jdoe"])

        let refused = try clinic.run(["note", "sign", note, "--as", "jdoe", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "too-early", "\(refused.stderr)")
        #expect(try clinic.ok(["note", "show", note, "--as", "jdoe"])["status"] as? String == "draft")

        clinic.now = startsAt
        #expect(try clinic.ok(["note", "sign", note, "--as", "jdoe"])["status"] as? String == "signed")
    }

    @Test("an appointment whose note is signed can be neither cancelled nor moved, and is left as it was")
    func signedNotePinsItsAppointment() throws {
        let clinic = try movingNotesSite()
        let appointment = try clinic.bookPhysio(with: "jdoe", at: "2026-11-23 09:00")
        let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--plan", "Chin tucks", "--as", "jdoe"])
        try clinic.ok(["note", "sign", note, "--as", "jdoe"])
        let before = try #require(try clinic.scheduled(appointment, on: "2026-11-23"))

        for command in [["cancel", appointment, "--reason", "patient called"],
                        ["reschedule", appointment, "--at", "2026-11-30 09:00"],
                        ["reschedule", appointment, "--at", "2026-11-23 09:00", "--with", "mroy"]] {
            let refused = try clinic.run(command + ["--json"])
            #expect(refused.status == 1 && refused.errorCode == "note-signed", "\(command): \(refused.stderr)")
        }
        let after = try #require(try clinic.scheduled(appointment, on: "2026-11-23"))
        for key in ["start", "end", "practitioner", "room", "status"] {
            #expect(after[key] as? String == before[key] as? String, "\(key) changed")
        }
        #expect(try clinic.ok(["note", "show", note, "--as", "jdoe"])["hash_verified"] as? Bool == true)
    }

    @Test("cancelling a series stops at a signed occurrence and cancels nothing")
    func seriesWithASignedNote() throws {
        let clinic = try movingNotesSite()
        let series = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                 "--at", "2026-11-09 09:00", "--repeat", "weekly", "--count", "3"]))
        let ids = series.compactMap { $0["id"] as? String }
        try #require(ids.count == 3)
        let note = try #require(try clinic.ok(["note", "start", ids[1], "--as", "jdoe"])["id"] as? String)
        try clinic.ok(["note", "edit", note, "--plan", "Chin tucks", "--as", "jdoe"])
        try clinic.ok(["note", "sign", note, "--as", "jdoe"])

        let refused = try clinic.run(["cancel", ids[0], "--series", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "note-signed", "\(refused.stderr)")
        for (id, date) in zip(ids, ["2026-11-09", "2026-11-16", "2026-11-23"]) {
            #expect(try clinic.scheduled(id, on: date)?["status"] as? String == "booked", "\(date)")
        }
    }
}
