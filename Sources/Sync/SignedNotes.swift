import Models
import Storage

/// A note's locking signature as stored here (`SignedNoteMerge.locking`).
struct LockingSignature {
    let changeID: String
    let hlc: Int64
    let origin: String
    /// The signature group's values, and the same as stored canonical text.
    let values: [String: JSONValue]
    let text: String
    let signs: Bool

    /// The ids of the rows its snapshot covers, by table.
    var covered: [String: Set<String>] {
        SignedNoteMerge.coveredRows(snapshot: values["signed_content"]?.stringValue.flatMap { try? JSONParser.parse($0) })
    }

    /// True for a change stamped after this signature: it never applies to the signed note.
    func precedes(hlc other: Int64, origin otherOrigin: String) -> Bool {
        SignedNoteMerge.isAfter(signatureHLC: hlc, origin: origin, changeHLC: other, changeOrigin: otherOrigin)
    }
}

/// A change a note's locking signature did not see, kept as an `edit-after-sign` conflict.
struct LateChange {
    let changeID: String
    let table: String
    let rowID: String
    /// Its row in `change`: an import counts only the ones it stored itself.
    let seq: Int64
}

/// Reads what locks a signed note and what came after it, for the merge and the conflict list alike;
/// the rules themselves are `SignedNoteMerge`'s.
enum SignedNotes {
    /// The note's locking signature, or nil when no signature change of it is stored here. Only the
    /// chosen one's values are parsed.
    static func lockingSignature(_ db: Database, noteID: String) throws -> LockingSignature? {
        let log = ChangeLogStore(db)
        let changes = try log.signatureChanges(noteID: noteID)
        let candidates = changes.map {
            SignedNoteMerge.Candidate(stamp: ChangeStamp(hlc: HLC(rawValue: $0.hlc), origin: $0.origin, changeID: $0.changeID), signs: $0.signs)
        }
        guard let index = SignedNoteMerge.locking(candidates), let text = try log.values(seq: changes[index].seq) else { return nil }
        let chosen = changes[index]
        return LockingSignature(changeID: chosen.changeID, hlc: chosen.hlc, origin: chosen.origin,
                                values: (try? JSONParser.parse(text))?.objectValue ?? [:], text: text, signs: chosen.signs)
    }

    /// Every change the signature did not see (`SignedNoteMerge.isEditAfterSign`). Derived from the
    /// change set alone, so sites that have exchanged everything list exactly the same ones.
    static func lateChanges(_ db: Database, noteID: String, signature: LockingSignature) throws -> [LateChange] {
        let log = ChangeLogStore(db)
        let noteTable = SyncSchema.signedNoteTable.name
        var late: [LateChange] = []
        for change in try log.noteChanges(noteID: noteID, after: signature.hlc, origin: signature.origin, comparedWith: signature.text)
        where SignedNoteMerge.isEditAfterSign(noteGroup: change.group, sameValuesAsSignature: change.sameValues) {
            late.append(LateChange(changeID: change.changeID, table: noteTable, rowID: noteID, seq: change.seq))
        }
        let covered = signature.covered
        let removed = try SyncedRowStore.removedNeedling(db, noteID: noteID)
        for table in SyncSchema.signatureCoveredTables {
            for change in try log.coveredRowChanges(table: table.name, noteID: noteID)
            where SignedNoteMerge.isEditAfterSign(coveredRowListed: covered[table.name]?.contains(change.rowID) ?? false,
                                                  stampedAfterSignature: signature.precedes(hlc: change.hlc, origin: change.origin),
                                                  removedFromDraft: removed.contains(change.rowID)) {
                late.append(LateChange(changeID: change.changeID, table: table.name, rowID: change.rowID, seq: change.seq))
            }
        }
        return late
    }

    /// True when the note is signed in this database.
    static func isSigned(_ db: Database, noteID: String) throws -> Bool {
        try SyncedRowStore.isSigned(db, noteID: noteID)
    }
}
