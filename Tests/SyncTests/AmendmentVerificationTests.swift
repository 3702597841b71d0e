import Foundation
import Models
@testable import Storage
@testable import Sync
import Testing

@Suite("An amendment's verification comes with the note that loads it")
struct AmendmentVerificationTests {
    @Test("an amendment verifies while it amends the note as signed, and not once the note's hash changed")
    func amendmentVerification() throws {
        let fixture = try SignedNoteFixture(siteCount: 1, receivers: [])
        let db = fixture.network.sites[0]
        fixture.network.tick()
        let notes = Notes(try TestSigning.session(db, handle: "jdoe", now: fixture.network.now))
        let amended = try notes.amend(fixture.noteID, with: "Bruise resolved on day 2", passphrase: { TestSigning.passphrase })
        #expect(amended.amendments.map(\.verified) == [true])

        // Whoever can write the file drops the guard and changes the stored hash: the amendment no longer amends this note.
        let guardSQL = try #require(try db.first("SELECT sql FROM sqlite_schema WHERE name = 'note_signed_no_update'")?.string(0))
        try db.execute("DROP TRIGGER note_signed_no_update")
        try db.execute("UPDATE sync_state SET applying = 1")
        try db.execute("UPDATE note SET content_hash = ? WHERE id = ?", [String(repeating: "0", count: 64), fixture.noteID])
        try db.execute("UPDATE sync_state SET applying = 0")
        try db.execute(guardSQL)
        #expect(try Notes.load(db, id: fixture.noteID).amendments.map(\.verified) == [false])
    }
}
