import CSQLite
import Foundation

/// The FTS5 rank function `clinic_rank(note_text)` that orders note search hits.
///
/// BM25's term weighting (k1 = 1.2) without its length normalisation (b = 0): a rarer word counts
/// more and a word met again counts less each time, but a long note is not pushed down for being
/// long. Dropping the length is what makes it fast: FTS5's own `bm25` looks up every match's token
/// count in a nested statement, which cost two thirds of a search over 100,000 notes. Like `bm25`,
/// the score is negative, so `ORDER BY clinic_rank(note_text)` puts the best match first.
enum NoteRank {
    static let name = "clinic_rank"
    static let k1 = 1.2

    /// Registers `clinic_rank` on a connection (note search needs it, so the clinic's opener calls
    /// this); FTS5 is compiled into the system SQLite.
    static func install(on db: Database) throws {
        guard let api = clinic_fts5_api(db.sqliteHandle), let create = api.pointee.xCreateFunction,
              create(api, name, nil, score, nil) == SQLITE_OK else {
            throw StorageError(.sqlite, resultCode: 0, message: "this SQLite lacks FTS5, which note search needs")
        }
    }

    /// The score of the current match: the sum over the query's words of weight × saturated count.
    private static let score: fts5_extension_function = { api, fts, context, _, _ in
        guard let api, let fts, let context else { return }
        let x = api.pointee
        guard let weights = NoteRank.weights(x, fts), let first = x.xPhraseFirst, let next = x.xPhraseNext else {
            sqlite3_result_error(context, "clinic_rank: cannot read the match", -1)
            return
        }
        // Each word's count in this note, read from its own position list (cheaper than `xInst`, which
        // merges every word's positions into one sorted list first).
        var total = 0.0
        var iterator = Fts5PhraseIter()
        var column: Int32 = 0, offset: Int32 = 0
        for phrase in 0..<Int32(weights[0]) {
            guard first(fts, phrase, &iterator, &column, &offset) == SQLITE_OK else {
                sqlite3_result_error(context, "clinic_rank: cannot read the match", -1)
                return
            }
            var count = 0.0
            while column >= 0 {
                count += 1
                next(fts, &iterator, &column, &offset)
            }
            if count > 0 { total += weights[Int(phrase) + 1] * count * (k1 + 1) / (count + k1) }
        }
        sqlite3_result_double(context, -total)
    }

    /// Each word's inverse document frequency, worked out once per query and kept as the query's
    /// aux data: `[phrase count, weight 0, weight 1, …]`.
    private static func weights(_ x: Fts5ExtensionApi, _ fts: OpaquePointer) -> UnsafeMutablePointer<Double>? {
        guard let getAux = x.xGetAuxdata, let setAux = x.xSetAuxdata, let phraseCount = x.xPhraseCount,
              let rowCount = x.xRowCount, let queryPhrase = x.xQueryPhrase else { return nil }
        if let kept = getAux(fts, 0) { return kept.assumingMemoryBound(to: Double.self) }
        let phrases = Int(phraseCount(fts))
        var rows: Int64 = 0
        guard rowCount(fts, &rows) == SQLITE_OK,
              let memory = sqlite3_malloc64(UInt64((phrases + 1) * MemoryLayout<Double>.stride)) else { return nil }
        let weights = memory.bindMemory(to: Double.self, capacity: phrases + 1)
        weights[0] = Double(phrases)
        for phrase in 0..<phrases {
            var matches: Int64 = 0
            let result = queryPhrase(fts, Int32(phrase), &matches) { _, _, counter in
                counter?.assumingMemoryBound(to: Int64.self).pointee += 1
                return SQLITE_OK
            }
            guard result == SQLITE_OK else { sqlite3_free(memory); return nil }
            let n = Double(rows), m = Double(matches)
            // BM25's IDF, floored just above zero as FTS5 does, so a word in most notes still counts a little.
            weights[phrase + 1] = max(log((n - m + 0.5) / (m + 0.5)), 1e-6)
        }
        guard setAux(fts, memory, sqlite3_free) == SQLITE_OK else { sqlite3_free(memory); return nil }
        return weights
    }
}
