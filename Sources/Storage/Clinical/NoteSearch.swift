import Models

/// Full-text search of `note_text`, with one home per engine (design note §3, tier 3): the words a user
/// typed are read here once, and each engine's file turns them into its own query (FTS5 `MATCH` in
/// NoteSearch+SQLite.swift, a `tsquery` in NoteSearch+PostgreSQL.swift). Both find the same notes for
/// the same words; the order of equal-looking hits may differ, since each ranks with its own function.
enum NoteSearch {
    /// One word to find: every word must match; a prefix word (`trap*`) matches the start of a word.
    struct Term: Equatable, Sendable {
        var word: String
        var prefix: Bool
    }

    /// The words of what a user typed: split at anything but letters and digits (so no character is read
    /// as an operator, and quotes only group words that must all match); a term ending in `*` makes its
    /// last word a prefix.
    static func terms(_ text: String) throws -> [Term] {
        let terms = text.split(whereSeparator: \.isWhitespace).flatMap { term -> [Term] in
            let words = term.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { Term(word: String($0), prefix: false) }
            guard term.hasSuffix("*"), var last = words.last else { return words }
            last.prefix = true
            return words.dropLast() + [last]
        }
        guard !terms.isEmpty else { throw ClinicError(.emptySearch, "give words to search for") }
        return terms
    }

    /// The best `limit` hits for `terms`, best first, equal scores newest first.
    static func hits(_ db: Database, _ terms: [Term], limit: Int) throws -> [Notes.SearchHit] {
        switch db.engine {
        case .sqlite: return try sqliteHits(db, terms, limit: limit)
        case .postgres: return try postgresHits(db, terms, limit: limit)
        }
    }

    /// A hit from a row `note_id, source, snippet, chart, session_date`: the source is `note`, `needling`
    /// or an amendment's id (shown as `amendment`).
    static func hit(_ row: Row) -> Notes.SearchHit {
        Notes.SearchHit(noteID: row.string(0), source: ["note", "needling"].contains(row.string(1)) ? row.string(1) : "amendment",
                        snippet: row.string(2), patientChart: row.string(3), sessionDate: row.string(4))
    }
}
