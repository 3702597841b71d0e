extension NoteSearch {
    /// The FTS5 query for `terms`: each word quoted (so no word is read as an operator), a prefix word
    /// followed by `*`; words side by side must all match.
    static func matchQuery(_ terms: [Term]) -> String {
        terms.map { "\"\($0.word)\"" + ($0.prefix ? "*" : "") }.joined(separator: " ")
    }

    /// Search over the FTS5 table (`unicode61 remove_diacritics 2`).
    static func sqliteHits(_ db: Database, _ terms: [Term], limit: Int) throws -> [Notes.SearchHit] {
        let query = matchQuery(terms)
        // Rank first, then build snippets for the hits only: snippets for every match cost more than the search.
        // The rank is `clinic_rank` (see `NoteRank`), called in `ORDER BY` rather than set as `rank`: FTS5
        // (before 3.45) answers `rank` by sorting every match in a nested statement, while the outer sorter
        // keeps only the top `limit`. Equal scores come back newest first, in one order every time.
        let ranked = try db.query("""
            SELECT rowid FROM note_text WHERE note_text MATCH ? ORDER BY clinic_rank(note_text), rowid DESC LIMIT ?
            """, [query, limit])
        return try ranked.compactMap { found in
            try db.first("""
                SELECT t.note_id, t.source, snippet(note_text, 2, '[', ']', '…', 12), p.chart, n.session_date
                FROM note_text t JOIN note n ON n.id = t.note_id JOIN patient p ON p.id = n.patient_id
                WHERE note_text MATCH ? AND t.rowid = ?
                """, [query, found.int(0)]).map(hit)
        }
    }
}
