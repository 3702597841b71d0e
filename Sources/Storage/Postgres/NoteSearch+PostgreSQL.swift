extension NoteSearch {
    /// The `tsquery` for `terms`, as SQL with one parameter per word: each word unaccented like the
    /// indexed text (`clinic.search_text`), quoted so `to_tsquery` reads no operator in it, `:*` after
    /// a prefix word; `&&` makes every word required.
    static func tsquery(_ terms: [Term]) -> String {
        terms.map { term in
            "to_tsquery('simple'::regconfig, quote_literal(clinic.search_text(?))" + (term.prefix ? " || ':*'" : "") + ")"
        }.joined(separator: " && ")
    }

    /// Search over `note_text.search` (a `tsvector` of the unaccented text, `simple` configuration, GIN
    /// index), ranked by `ts_rank`; the snippet is `ts_headline` with FTS5's marks, over the text as written
    /// (the `clinic.search` configuration unaccents each word, so accented words are marked too).
    static func postgresHits(_ db: Database, _ terms: [Term], limit: Int) throws -> [Notes.SearchHit] {
        var arguments: [SQLBindable] = terms.map { $0.word }
        arguments.append(limit)
        return try db.query("""
            WITH q AS (SELECT \(tsquery(terms)) AS query),
            ranked AS (
                SELECT t.note_id, t.source, t.body, q.query, ts_rank(t.search, q.query) AS score, n.created_at
                FROM clinic.note_text t JOIN clinic.note n ON n.id = t.note_id, q WHERE t.search @@ q.query
                ORDER BY score DESC, n.created_at DESC, t.note_id DESC, t.source DESC LIMIT ?)
            SELECT r.note_id, r.source,
                   ts_headline('clinic.search'::regconfig, r.body, r.query,
                               'StartSel=[, StopSel=], MaxWords=12, MinWords=11, ShortWord=0'),
                   p.chart, n.session_date
            FROM ranked r JOIN clinic.note n ON n.id = r.note_id JOIN clinic.patient p ON p.id = n.patient_id
            ORDER BY r.score DESC, r.created_at DESC, r.note_id DESC, r.source DESC
            """, arguments).map(hit)
    }
}
