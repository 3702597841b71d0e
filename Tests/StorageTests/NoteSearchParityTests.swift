import Foundation
import Models
@testable import Storage
import Testing

/// Issue 28: note search on PostgreSQL (`tsvector` over unaccented text) finds the same notes as FTS5 for
/// the same words; only the order of the hits may differ.
@Suite("note search on both engines")
struct NoteSearchParityTests {
    /// Accents, case, prefixes, several words, quotes, punctuation inside and around words, numbers, no match.
    static let corpus = [
        "douleur", "céphalées", "cephalees", "CÉPHALÉES", "télé*", "tele*", "epicondylalgie", "Épicondylalgie latérale",
        "trap*", "\"genou gauche\"", "genou droit", "2/10", "5 km", "course*", "zzzz", "c5", "c6", "C5-C6", "2.5mm",
        "pain—worse", "o'neil", "gb21", "LI*", "naïve", "naive", "Straße", "x@y.com", "1e5", "(levator)", "a*b", "l*",
    ]

    /// Odd text added beside a demo note on both engines: dotted numbers, hyphenated and slashed codes, dashes,
    /// guillemets, an apostrophe, an address, a sharp s.
    static let oddText = "Trapèze sup. C5-C6 2.5mm; pain—worse «levator» o'neil GB21/LI4 naïve Straße x@y.com 1e5"

    @Test("the demo searched with a corpus of queries finds the same notes on SQLite and PostgreSQL")
    func sameNotes() throws {
        let file = TemporaryDatabase()
        let lite = try file.open()
        _ = try DemoSite.create(in: lite, now: testNow)
        let scratch = try ScratchPostgresDatabase("t_search")
        let pg = try Database(location: .postgres(scratch.address), environment: scratch.cluster.adminEnvironment)
        _ = try DemoSite.create(in: pg, now: testNow)
        var compared = 0, found = 0
        // The demo writes fewer notes on PostgreSQL than on SQLite today (76 text rows against 102): compare
        // over the text rows both hold, the same text under the same chart, date and kind.
        let rows = """
            SELECT p.chart || '|' || n.session_date || '|' || CASE WHEN t.source IN ('note', 'needling') THEN t.source ELSE 'amendment' END
                   || '|' || n.subjective || '|' || t.body
            FROM note_text t JOIN note n ON n.id = t.note_id JOIN patient p ON p.id = n.patient_id
            """
        let shared = Set(try lite.query(rows).map { $0.string(0) }).intersection(try pg.query(rows).map { $0.string(0) })
        var both = Set(shared.map { $0.split(separator: "|").prefix(4).joined(separator: "|") })
        #expect(both.count >= 50)
        let target = try #require(both.filter { $0.contains("|note|") }.min()).split(separator: "|").map(String.init)
        for db in [lite, pg] {
            let note = try #require(try db.first("""
                SELECT n.id FROM note n JOIN patient p ON p.id = n.patient_id WHERE p.chart = ? AND n.session_date = ? AND n.subjective = ?
                """, [target[0], target[1], target[3]]))
            try db.execute("INSERT INTO note_text (note_id, source, body) VALUES (?, 'odd', ?)", [note.string(0), Self.oddText])
        }
        both.insert([target[0], target[1], "amendment", target[3]].joined(separator: "|"))
        for query in Self.corpus {
            let onSQLite = try hits(lite, query).intersection(both), onPostgres = try hits(pg, query).intersection(both)
            #expect(onSQLite == onPostgres, "\(query): SQLite \(onSQLite.sorted()) vs PostgreSQL \(onPostgres.sorted())")
            compared += 1
            found += onSQLite.isEmpty ? 0 : 1
        }
        #expect(compared == Self.corpus.count)
        #expect(found >= Self.corpus.count - 3) // the corpus is not a list of misses: a broken search cannot pass it
        #expect(try hits(pg, "zzzz").isEmpty)
        for empty in ["*", "--", "\"\""] {
            #expect(errorCode { _ = try search(lite, empty) } == "empty-search")
            #expect(errorCode { _ = try search(pg, empty) } == "empty-search")
        }
    }

    @Test("a PostgreSQL hit carries FTS5's marks around the words found, accented ones too")
    func snippetMarks() throws {
        let scratch = try ScratchPostgresDatabase("t_search")
        let pg = try Database(location: .postgres(scratch.address), environment: scratch.cluster.adminEnvironment)
        _ = try DemoSite.create(in: pg, now: testNow)
        let hit = try #require(try search(pg, "cephalees").first)
        #expect(hit.snippet.contains("[céphalées]"), "\(hit.snippet)")
        #expect(hit.source == "note")
        let needled = try search(pg, "trap*")
        #expect(needled.contains { $0.source == "needling" })
    }

    private func search(_ db: Database, _ query: String) throws -> [Notes.SearchHit] {
        try Notes(AuditedSession(db: db, handle: "lchen", now: testNow)).search(query, limit: 500)
    }

    /// The hits as engine-independent keys: chart, session date, where the text matched, the note's subjective.
    private func hits(_ db: Database, _ query: String) throws -> Set<String> {
        Set(try search(db, query).map { hit in
            let subjective = try db.first("SELECT subjective FROM note WHERE id = ?", [hit.noteID])?.string(0) ?? ""
            return [hit.patientChart, hit.sessionDate, hit.source, subjective].joined(separator: "|")
        })
    }
}
