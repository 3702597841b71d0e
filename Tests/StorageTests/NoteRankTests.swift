import Foundation
@testable import Storage
import Testing

/// `clinic_rank` on a scratch FTS5 table of the same connection, so each rule of the ranking is
/// checked on documents chosen for it rather than on whatever notes a site happens to hold.
@Suite("Note search ranking (clinic_rank)")
struct NoteRankTests {
    /// The rowids matching `query`, best first, ties newest first: the order `Notes.search` uses.
    private func ranked(_ documents: [String], _ query: String) throws -> [Int64] {
        let file = TemporaryDatabase()
        let db = try file.open()
        try db.execute("CREATE VIRTUAL TABLE temp.scratch USING fts5(body)")
        for (index, text) in documents.enumerated() {
            try db.execute("INSERT INTO temp.scratch (rowid, body) VALUES (?, ?)", [Int64(index + 1), text])
        }
        return try db.query("SELECT rowid FROM temp.scratch WHERE scratch MATCH ? ORDER BY clinic_rank(scratch), rowid DESC",
                            [query]).map { $0.int(0) }
    }

    /// Notes with none of the searched words, so the searched ones are rare and their weights positive.
    private let filler = Array(repeating: "home exercise program reviewed", count: 8)

    @Test("a word met more often in a note ranks it higher, with diminishing returns")
    func termFrequency() throws {
        let order = try ranked(["trapezius tender", "trapezius trapezius trapezius taut band", "trapezius trapezius"] + filler, "trapezius")
        #expect(order == [2, 3, 1])
    }

    @Test("a rarer word weighs more than a common one")
    func rarity() throws {
        // "trapezius" is in five notes, "infraspinatus" in two: the note with infraspinatus twice wins.
        let documents = ["trapezius trapezius infraspinatus", "trapezius infraspinatus infraspinatus",
                         "trapezius", "trapezius", "trapezius"] + filler + filler
        #expect(try ranked(documents, "trapezius infraspinatus") == [2, 1])
    }

    @Test("a long note is not pushed down for its length; equal scores come back newest first")
    func lengthAndTies() throws {
        let long = "trapezius " + Array(repeating: "posture ergonomics desk worker", count: 30).joined(separator: " ")
        #expect(try ranked(["trapezius", long, "trapezius"] + filler, "trapezius") == [3, 2, 1])
    }
}
