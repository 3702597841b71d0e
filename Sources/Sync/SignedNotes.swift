import Models
import Storage

/// Which of a note's signature changes locks it. A signed note is never changed after the fact, so
/// the first signature anywhere is the one that counts: a later signature (two sites signing one note
/// while offline) or a change that would reopen the note is an edit after sign. Decided from the
/// changes alone, so every site picks the same one whatever order its files came in.
enum NoteSignatureRule {
    /// One change of a note's signature group, as the rule needs it.
    struct Candidate: Equatable, Sendable {
        let hlc: Int64
        let origin: String
        let changeID: String
        /// True when the change sets the note's status to signed.
        let signs: Bool
    }

    /// The index of the locking signature: the smallest (HLC, origin, id) among changes that sign;
    /// while none does, the last writer's, as for any other field group. Nil for no candidate.
    static func locking(_ candidates: [Candidate]) -> Int? {
        func key(_ candidate: Candidate) -> (Int64, String, String) { (candidate.hlc, candidate.origin, candidate.changeID) }
        let signing = candidates.indices.filter { candidates[$0].signs }
        if let first = signing.min(by: { key(candidates[$0]) < key(candidates[$1]) }) { return first }
        return candidates.indices.max { key(candidates[$0]) < key(candidates[$1]) }
    }
}

/// A note's locking signature as stored here (`NoteSignatureRule`).
struct LockingSignature {
    let changeID: String
    let hlc: Int64
    let origin: String
    /// The signature group's values, and the same as stored canonical text.
    let values: [String: JSONValue]
    let text: String
    let signs: Bool

    /// The ids of the needling and adverse-event rows its snapshot covers, by table.
    var covered: [String: Set<String>] {
        let snapshot = values["signed_content"]?.stringValue.flatMap { try? JSONParser.parse($0) }
        return Dictionary(uniqueKeysWithValues: SignedNotes.coveredRows.map { table, field in
            // Ids alone in a hash-only snapshot; whole rows, each with its id, in a clinician's signed document.
            (table, Set((snapshot?[field]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0["id"]?.stringValue }))
        })
    }

    /// True for a change stamped after this signature: it never applies to the signed note.
    func precedes(hlc other: Int64, origin otherOrigin: String) -> Bool { (hlc, origin) < (other, otherOrigin) }
}

/// A change a note's locking signature did not see, kept as an `edit-after-sign` conflict.
struct LateChange {
    let changeID: String
    let table: String
    let rowID: String
    /// Its row in `change`: an import counts only the ones it stored itself.
    let seq: Int64
}

/// Reads what locks a signed note and what came after it, for the merge and the conflict list alike.
enum SignedNotes {
    /// The tables whose rows a signature covers by id, with the snapshot field that lists them.
    static let coveredRows: [(table: String, field: String)] = [("needling", "needling"), ("adverse_event", "adverse_events")]

    /// The note's locking signature, or nil when no signature change of it is stored here. The status
    /// of each change is read by SQLite; only the chosen one's values are parsed.
    static func lockingSignature(_ db: Database, noteID: String) throws -> LockingSignature? {
        let rows = try db.query("""
            SELECT change_id, hlc, origin, json_extract(vals, '$.status') = 'signed', seq FROM change
            WHERE row_id = ? AND tbl = 'note' AND grp = 'signature' AND change_id IS NOT NULL
            """, [noteID])
        let candidates = rows.map { NoteSignatureRule.Candidate(hlc: $0.int(1), origin: $0.string(2), changeID: $0.string(0), signs: $0.bool(3)) }
        guard let index = NoteSignatureRule.locking(candidates),
              let text = try db.first("SELECT vals FROM change WHERE seq = ?", [rows[index].int(4)])?.string(0) else { return nil }
        let chosen = candidates[index]
        return LockingSignature(changeID: chosen.changeID, hlc: chosen.hlc, origin: chosen.origin,
                                values: (try? JSONParser.parse(text))?.objectValue ?? [:], text: text, signs: chosen.signs)
    }

    /// Every change the signature did not see: any change to the note's row stamped after it (a
    /// signature identical to it excepted), a needling or adverse-event row its snapshot does not
    /// cover, and a change to a covered row stamped after it. Derived from the change set alone, so
    /// sites that have exchanged everything list exactly the same ones.
    static func lateChanges(_ db: Database, noteID: String, signature: LockingSignature) throws -> [LateChange] {
        var late: [LateChange] = []
        for row in try db.query("""
            SELECT change_id, grp, seq, vals = ? FROM change WHERE row_id = ? AND tbl = 'note' AND change_id IS NOT NULL
            AND (hlc > ? OR (hlc = ? AND origin > ?))
            """, [signature.text, noteID, signature.hlc, signature.hlc, signature.origin]) where !(row.string(1) == "signature" && row.bool(3)) {
            late.append(LateChange(changeID: row.string(0), table: "note", rowID: noteID, seq: row.int(2)))
        }
        let covered = signature.covered
        for (table, _) in coveredRows {
            // The `IN` term is the partial index's own condition, so `change_note_detail` serves.
            for row in try db.query("""
                SELECT change_id, row_id, hlc, origin, seq FROM change WHERE tbl IN ('needling', 'adverse_event') AND tbl = ? AND grp = 'details'
                AND json_extract(vals, '$.note_id') = ?
                """, [table, noteID])
            where !(covered[table]?.contains(row.string(1)) ?? false) || signature.precedes(hlc: row.int(2), origin: row.string(3)) {
                late.append(LateChange(changeID: row.string(0), table: table, rowID: row.string(1), seq: row.int(4)))
            }
        }
        return late
    }

    /// True when the note is signed in this database.
    static func isSigned(_ db: Database, noteID: String) throws -> Bool {
        try db.first("SELECT 1 FROM note WHERE id = ? AND status = 'signed'", [noteID]) != nil
    }
}
