/// The rules that keep a signed note as it was signed. A signed note is never changed after the
/// fact, so the first signature anywhere is the one that counts: a later signature (two sites signing
/// one note while offline) or a change that would reopen the note is an edit after sign. Decided
/// from the changes alone, so every site reaches the same note whatever order its files came in.
public enum SignedNoteMerge {
    /// One change of a note's signature group, as the rule needs it.
    public struct Candidate: Equatable, Sendable {
        public let stamp: ChangeStamp
        /// True when the change sets the note's status to signed.
        public let signs: Bool

        public init(stamp: ChangeStamp, signs: Bool) {
            self.stamp = stamp
            self.signs = signs
        }
    }

    /// The index of the locking signature: the smallest stamp among changes that sign; while none
    /// does, the group's last writer (`FieldGroupWinner`). Nil for no candidate.
    public static func locking(_ candidates: [Candidate]) -> Int? {
        let signing = candidates.indices.filter { candidates[$0].signs }
        if let first = signing.min(by: { candidates[$0].stamp < candidates[$1].stamp }) { return first }
        guard let last = FieldGroupWinner.winner(among: candidates.map(\.stamp)) else { return nil }
        return candidates.firstIndex { $0.stamp == last }
    }

    /// True for a change stamped after the signature at (`hlc`, `origin`): the signature did not see it.
    public static func isAfter(signatureHLC hlc: Int64, origin: String, changeHLC: Int64, changeOrigin: String) -> Bool {
        (hlc, origin) < (changeHLC, changeOrigin)
    }

    /// True when a change to the note's own row, stamped after its locking signature, is an edit
    /// after sign: every such change is, but a copy of the signature itself (same group, same values).
    public static func isEditAfterSign(noteGroup group: String, sameValuesAsSignature: Bool) -> Bool {
        !(group == SyncSchema.noteSignatureGroup && sameValuesAsSignature)
    }

    /// True when a change to a row the signature covers by id is an edit after sign: its row is not
    /// in the snapshot (unless it was removed from the draft: `note needle --remove`, which the signature
    /// rightly left out), or it was stamped after the signature.
    public static func isEditAfterSign(coveredRowListed listed: Bool, stampedAfterSignature after: Bool,
                                       removedFromDraft removed: Bool = false) -> Bool {
        (!listed && !removed) || after
    }

    /// The ids of the rows a signature's snapshot covers, by table (`SyncSchema.signatureCoveredTables`):
    /// ids alone in a hash-only snapshot; whole rows, each with its id, in a clinician's signed document.
    public static func coveredRows(snapshot: JSONValue?) -> [String: Set<String>] {
        Dictionary(uniqueKeysWithValues: SyncSchema.signatureCoveredTables.map { table in
            let listed = table.coveringSnapshotField.flatMap { snapshot?[$0]?.arrayValue } ?? []
            return (table.name, Set(listed.compactMap { $0.stringValue ?? $0["id"]?.stringValue }))
        })
    }

    /// The group winners of a note its locking signature signs: that signature, and the header as it
    /// saw it (when known); a deletion never applies to it. Content groups keep their winners: the
    /// snapshot replaces them (`noteRow`).
    public static func lockedWinners<Winner>(_ winners: [String: Winner], signature: Winner, headerAsSigned: Winner?) -> [String: Winner] {
        var locked = winners
        locked[SyncSchema.noteSignatureGroup] = signature
        if let headerAsSigned { locked["header"] = headerAsSigned }
        locked.removeValue(forKey: SyncSchema.deletionGroup)
        return locked
    }

    /// The values a note row is written with, from the values its groups' winners hold. When they
    /// sign it, its content comes from the signature's snapshot alone, and its signature columns stay
    /// a draft's until every row the snapshot covers is here (`signs`: the signature is applied then).
    public static func noteRow(_ target: [String: JSONValue], in table: SyncedTable) -> (values: [String: JSONValue], signs: Bool) {
        guard target["status"]?.stringValue == "signed" else { return (target, false) }
        var row = target
        if let snapshot = target["signed_content"]?.stringValue.flatMap({ try? JSONParser.parse($0) })?.objectValue {
            for column in SyncSchema.noteContentGroups.compactMap(table.group(named:)).joined() {
                row[column] = snapshot[column] ?? .null
            }
        }
        for column in table.group(named: SyncSchema.noteSignatureGroup) ?? [] {
            row[column] = column == "status" ? .string("draft") : (column == "acknowledged" ? .string("") : .null)
        }
        return (row, true)
    }
}
