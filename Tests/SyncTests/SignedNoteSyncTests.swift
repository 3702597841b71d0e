import Foundation
import Models
@testable import Storage
@testable import Sync
import Testing

/// A network whose first site signs a dry-needling note (one needling row, one adverse event) and
/// sends it to the sites named in `receivers`; `draftReceivers` get the note before it is signed.
struct SignedNoteFixture {
    let network: Network
    let noteID: String
    let needlingID: String
    let adverseID: String
    let otherPatientID: String
    let hash: String

    static let sessionDay = CivilDate(year: 2026, month: 11, day: 20) ?? CivilDate(daysSinceEpoch: 0)
    static let consentDay = CivilDate(year: 2026, month: 11, day: 16) ?? CivilDate(daysSinceEpoch: 0)

    init(siteCount: Int, receivers: [Int], draftReceivers: [Int] = []) throws {
        network = try Network(siteCount: siteCount)
        let db = network.sites[0]
        network.tick()
        let now = network.now
        try db.write { db in
            try StaffRepository(db).addCredential(handle: "jdoe", credential: Credential(scope: .dryNeedling, regulator: "OPPQ", number: "1", expires: nil),
                                                  now: now)
        }
        let charts = try db.query("SELECT chart, id FROM patient ORDER BY rowid").map { ($0.string(0), $0.string(1)) }
        let zone = try SiteTimeZone("America/Toronto")
        let start = try #require(zone.instant(LocalDateTime(date: Self.sessionDay, minuteOfDay: 9 * 60)))
        let booked = try Scheduler(db).book(.init(patientChart: charts[0].0, practitionerHandle: "jdoe", serviceSlug: "physio-30", start: start), now: now)
        let appointment = try #require(booked.first?.appointment.id)
        let session = try TestSigning.session(db, handle: "jdoe", now: now)
        _ = try PatientRecords(session).recordConsent(chart: charts[0].0, intervention: .dryNeedling, risks: "bruising, soreness", guardian: nil,
                                                      date: Self.consentDay)
        let notes = Notes(session)
        let note = try notes.start(appointment: appointment)
        var edit = Notes.Edit()
        edit.sections[.subjective] = "Neck pain after desk work"
        edit.painBefore = 6
        _ = try notes.edit(note.id, edit)
        _ = try notes.needle(note.id, NeedlingEntry(point: nil, muscle: try MuscleCatalog.muscle("upper trapezius"), side: .right, count: 1))
        _ = try notes.needlesRemoved(note.id, count: 1)
        _ = try notes.adverse(note.id, kind: .bruising, detail: "small bruise")
        for receiver in draftReceivers { try network.exchange(from: 0, to: receiver) }
        let signed = try notes.sign(note.id, acknowledge: [], passphrase: { TestSigning.passphrase })
        noteID = note.id
        needlingID = try #require(signed.needling.first?.id)
        adverseID = try #require(signed.adverseEvents.first?.id)
        otherPatientID = charts[1].1
        hash = try #require(signed.contentHash)
        network.tick()
        for receiver in receivers { try network.exchange(from: 0, to: receiver) }
    }

    /// The note as a site holds it.
    func note(at site: Int) throws -> NoteRecord { try Notes.load(network.sites[site], id: noteID) }

    /// Edit-after-sign conflict ids listed at a site.
    func editsAfterSign(at site: Int) throws -> [String] {
        try ConflictBook(network.sites[site]).list().filter { $0.kind == "edit-after-sign" }.map(\.id).sorted()
    }

    /// Changes stamped a second after everything so far (so after the signature), from site ZZ, that
    /// would reopen, rewrite, move, renumber or delete the note and change what its signature covers.
    func laterChanges() throws -> [[UInt8]] {
        let hlc = HLC(physical: network.now + 1_000, counter: 0)
        let note = try self.note(at: 0)
        func line(_ table: String, _ row: String, _ group: String, _ values: [String: JSONValue]) -> [UInt8] {
            ForgedLog.line(table: table, row: row, group: group, values: values, hlc: hlc)
        }
        let needling: [String: JSONValue] = [
            "note_id": .string(noteID), "point": .null, "muscle": .string("levator scapulae"), "side": .string("left"), "gauge_mm": .null,
            "length_mm": .null, "depth_mm": .null, "technique": .null, "retention_min": .null, "estim_hz": .null, "estim_min": .null,
            "count": .integer(3), "created_at": .integer(network.now),
        ]
        var covered = needling
        covered["muscle"] = .string("upper trapezius")
        covered["side"] = .string("right")
        return [
            line("note", noteID, "signature", ["status": .string("draft"), "signed_by": .null, "signed_at": .null, "content_hash": .null,
                                               "acknowledged": .string(""), "signed_content": .null]),
            line("note", noteID, "subjective", ["subjective": .string("Rewritten after signing")]),
            line("note", noteID, "measures", ["pain_before": .integer(0), "pain_after": .integer(0), "psfs": .null, "ndi": .null, "odi": .null]),
            line("note", noteID, "needles", ["needles_removed": .integer(9)]),
            line("note", noteID, "header", ["appointment_id": .string(note.appointmentID), "patient_id": .string(otherPatientID),
                                            "author_id": .string(note.authorID), "session_date": .string("2026-12-02"), "created_at": .integer(1)]),
            line("needling", "01a20000-0000-7000-8000-00000000000a", "details", needling),
            line("needling", needlingID, "details", covered),
            line("adverse_event", "01a20000-0000-7000-8000-00000000000b", "details",
                 ["note_id": .string(noteID), "kind": .string("pain"), "detail": .string("added later"), "created_at": .integer(network.now)]),
            line("note", noteID, "_deleted", [:]),
        ]
    }

    /// A log of `laterChanges`, signed by site `signer`, for the site at `recipient`; `count` keeps
    /// the first ones only.
    func laterLog(signer: Int, recipient: Int, count: Int = SignedNoteSyncTests.laterChangeCount) throws -> [UInt8] {
        try ForgedLog.bytes(from: network.sites[signer], recipient: network.codes[recipient], lines: Array(try laterChanges().prefix(count)),
                            vector: ["ZZ": HLC(physical: network.now + 1_000, counter: 0).rawValue])
    }
}

@Suite("A signed note stays signed through sync")
struct SignedNoteSyncTests {
    /// Every way a later change could touch a signed note, each kept as an `edit-after-sign` conflict.
    static let laterChangeCount = 9

    @Test("a trusted peer's log that would reopen, rewrite, move or delete a signed note applies none of it and lists each change")
    func laterChangesAreConflicts() throws {
        let fixture = try SignedNoteFixture(siteCount: 3, receivers: [1, 2])
        let network = fixture.network
        let before = try network.sites.map(Digest.compute)
        for site in [0, 1] {
            let summary = try ForgedLog.importing(try fixture.laterLog(signer: 2, recipient: site), at: network.sites[site], folder: network.folder)
            #expect(summary.applied == Self.laterChangeCount, "\(summary)")
            #expect(summary.conflicts == Self.laterChangeCount, "site \(site): \(summary)")
            let note = try fixture.note(at: site)
            #expect(note.status == .signed, "site \(site)")
            #expect(note.contentHash == fixture.hash && note.hashVerified, "site \(site)")
            #expect(note.sections[.subjective] == "Neck pain after desk work" && note.painBefore == 6 && note.needlesRemoved == 1)
            #expect(note.patientID != fixture.otherPatientID)
            #expect(note.needling.map(\.id) == [fixture.needlingID] && note.needling.first?.entry.count == 1)
            #expect(note.adverseEvents.map(\.id) == [fixture.adverseID])
            #expect(try Digest.compute(network.sites[site]) == before[site], "site \(site): nothing synced changed")
            #expect(try fixture.editsAfterSign(at: site).count == Self.laterChangeCount, "site \(site)")
            #expect(try Doctor(network.sites[site]).examine().first { $0.code == "note-hash" }?.ok == true)
        }
        #expect(try fixture.editsAfterSign(at: 0) == fixture.editsAfterSign(at: 1))

        // The third site gets the same changes relayed; everyone ends equal and lists the same conflicts.
        for _ in 0..<2 {
            for from in 0..<3 { for to in 0..<3 where from != to { try network.exchange(from: from, to: to) } }
        }
        #expect(Set(try network.sites.map(Digest.compute)).count == 1)
        for site in 0..<3 {
            #expect(try fixture.note(at: site).contentHash == fixture.hash)
            #expect(try fixture.editsAfterSign(at: site) == fixture.editsAfterSign(at: 0))
        }
    }

    @Test("a site that gets the later changes before the note itself ends where the others are")
    func laterChangesFirst() throws {
        let fixture = try SignedNoteFixture(siteCount: 5, receivers: [1], draftReceivers: [4])
        let network = fixture.network
        // Site 3 takes the log before it has the note; site 4 while it holds the draft (without the
        // deletion, which a draft with needling rows cannot take); site 2 in chunks of one row after
        // the signed note.
        try ForgedLog.importing(try fixture.laterLog(signer: 1, recipient: 3), at: network.sites[3], folder: network.folder)
        try ForgedLog.importing(try fixture.laterLog(signer: 1, recipient: 4, count: SignedNoteSyncTests.laterChangeCount - 1), at: network.sites[4],
                                folder: network.folder)
        #expect(try network.sites[4].first("SELECT count FROM needling WHERE id = ?", [fixture.needlingID])?.int(0) == 3,
                "the draft's needling row took the later change")
        #expect(try network.sites[3].first("SELECT COUNT(*) FROM note")?.int(0) == 0)
        network.mergeEvery = 1
        try network.exchange(from: 0, to: 2)
        try ForgedLog.importing(try fixture.laterLog(signer: 1, recipient: 2), at: network.sites[2], folder: network.folder)
        try network.exchange(from: 0, to: 3)
        try network.exchange(from: 0, to: 4)
        for site in [2, 3, 4] {
            let note = try fixture.note(at: site)
            #expect(note.status == .signed && note.contentHash == fixture.hash && note.hashVerified, "site \(site)")
            #expect(note.needling.first?.entry.count == 1 && note.adverseEvents.map(\.id) == [fixture.adverseID], "site \(site)")
        }
        for _ in 0..<2 {
            for from in 0..<5 { for to in 0..<5 where from != to { try network.exchange(from: from, to: to) } }
        }
        let digests = try network.sites.map(Digest.compute)
        #expect(Set(digests).count == 1, "\(digests)")
        for site in 0..<5 {
            #expect(try fixture.editsAfterSign(at: site).count == Self.laterChangeCount, "site \(site)")
            #expect(try fixture.editsAfterSign(at: site) == fixture.editsAfterSign(at: 0))
        }
    }

    @Test("two sites signing one note while offline end with the first signature everywhere, the other listed", arguments: [false, true])
    func concurrentSignatures(laterFirst: Bool) throws {
        let network = try Network(siteCount: 2)
        network.tick()
        let zone = try SiteTimeZone("America/Toronto")
        let start = try #require(zone.instant(LocalDateTime(date: SignedNoteFixture.sessionDay, minuteOfDay: 10 * 60)))
        let chart = try #require(try network.sites[0].first("SELECT chart FROM patient ORDER BY rowid LIMIT 1")?.string(0))
        let booked = try Scheduler(network.sites[0]).book(.init(patientChart: chart, practitionerHandle: "jdoe", serviceSlug: "physio-30", start: start),
                                                          now: network.now)
        func notes(_ site: Int) throws -> Notes {
            Notes(try TestSigning.session(network.sites[site], handle: "jdoe", now: network.now))
        }
        let noteID = try notes(0).start(appointment: try #require(booked.first?.appointment.id)).id
        try network.exchange(from: 0, to: 1)
        // Offline: MTL signs first; QC writes more, then signs a second later.
        network.tick()
        let first = try #require(try notes(0).sign(noteID, acknowledge: [], passphrase: { TestSigning.passphrase }).contentHash)
        network.tick()
        var edit = Notes.Edit()
        edit.sections[.plan] = "Home stretches"
        _ = try notes(1).edit(noteID, edit)
        let second = try #require(try notes(1).sign(noteID, acknowledge: [], passphrase: { TestSigning.passphrase }).contentHash)
        #expect(first != second)
        if laterFirst {
            try network.exchange(from: 1, to: 0)
            try network.exchange(from: 0, to: 1)
        } else {
            try network.exchange(from: 0, to: 1)
            try network.exchange(from: 1, to: 0)
        }
        #expect(Set(try network.sites.map(Digest.compute)).count == 1)
        for site in 0..<2 {
            let note = try Notes.load(network.sites[site], id: noteID)
            #expect(note.status == .signed && note.contentHash == first && note.hashVerified, "site \(site)")
            #expect(note.sections[.plan] == "", "site \(site)")
            // QC's plan and its signature, both made after MTL's signature.
            #expect(try ConflictBook(network.sites[site]).list().filter { $0.kind == "edit-after-sign" }.count == 2, "site \(site)")
        }
        #expect(try network.conflicts(0) == network.conflicts(1))
    }
}
