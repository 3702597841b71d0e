import Models
import PropertyBased
import TestSupport
import Testing

/// One change to a note row, as the merge sees it: its group, where it stands, and its values.
private struct NoteChange: Sendable {
    let group: String
    let stamp: ChangeStamp
    let values: [String: JSONValue]
}

/// A note row merged from `changes` by the rules alone: per group `FieldGroupWinner`'s winner; the
/// locking signature and its snapshot when it signs (`SignedNoteMerge`). Group winners stand in for
/// the values the merge would load.
private func mergedNote(_ changes: [NoteChange]) -> [String: JSONValue] {
    let table = SyncSchema.signedNoteTable
    var winners: [String: NoteChange] = [:]
    for change in changes where winners[change.group].map({ FieldGroupWinner.wins(change.stamp, over: $0.stamp) }) ?? true {
        winners[change.group] = change
    }
    let signatures = changes.filter { $0.group == SyncSchema.noteSignatureGroup }
    let candidates = signatures.map { SignedNoteMerge.Candidate(stamp: $0.stamp, signs: $0.values["status"] == .string("signed")) }
    if let index = SignedNoteMerge.locking(candidates), candidates[index].signs {
        winners = SignedNoteMerge.lockedWinners(winners, signature: signatures[index], headerAsSigned: nil)
    }
    var target: [String: JSONValue] = [:]
    for group in table.groups {
        for column in group.columns { target[column] = winners[group.name]?.values[column] ?? .null }
    }
    return SignedNoteMerge.noteRow(target, in: table).values
}

private let sections = ["subjective", "objective", "assessment", "plan"]
private let origins = ["LAV", "MTL", "QC"]

/// The content of a note as signed: a text per SOAP section.
private let snapshots = Gen.letterOrNumber.string(of: 0...6).array(of: sections.count)

/// Changes stamped after the signature at HLC 100: section edits, later signatures, reopenings.
private let laterChanges = zip(Gen.int(in: 0...5), Gen.int64(in: 100...140), Gen.int(in: 0...2), Gen.letterOrNumber.string(of: 1...6))
    .map { drawn -> NoteChange in
        let (kind, hlc, index, text) = drawn
        // A stamp at HLC 100 itself is later only from a larger origin than the signature's (MTL).
        let origin = hlc == 100 ? "QC" : origins[index]
        let stamp = ChangeStamp(hlc: HLC(rawValue: hlc), origin: origin, changeID: "late-\(hlc)-\(origin)-\(kind)-\(text)")
        switch kind {
        case 0...3: return NoteChange(group: sections[kind], stamp: stamp, values: [sections[kind]: .string(text)])
        case 4: return NoteChange(group: SyncSchema.noteSignatureGroup, stamp: stamp, values: signature(text, signed: true))
        default: return NoteChange(group: SyncSchema.noteSignatureGroup, stamp: stamp, values: signature("", signed: false))
        }
    }

/// A signature group's values: signed over a snapshot whose sections hold `text`, or a draft's.
private func signature(_ text: String, signed: Bool) -> [String: JSONValue] {
    guard signed else { return ["status": .string("draft"), "acknowledged": .string("")] }
    let snapshot = JSONValue.object(Dictionary(uniqueKeysWithValues: sections.map { ($0, JSONValue.string(text)) }))
    return ["status": .string("signed"), "signed_by": .string("jdoe"), "signed_at": .integer(1), "content_hash": .string("h-\(text)"),
            "acknowledged": .string(""), "signed_content": .string(snapshot.canonical)]
}

@Suite("Signed note merge")
struct SignedNoteMergeTests {
    @Test("a signed note's content is its snapshot, whatever later changes arrive, in any order")
    func contentFrozen() async {
        await propertyCheck(input: snapshots, laterChanges.array(of: 0...8), Gen.uint64(in: 0...UInt64.max)) { content, later, seed in
            var random = SplitMix(state: seed)
            let snapshot = JSONValue.object(Dictionary(uniqueKeysWithValues: zip(sections, content.map(JSONValue.string))))
            var signing = signature("", signed: true)
            signing["signed_content"] = .string(snapshot.canonical)
            let signed = NoteChange(group: SyncSchema.noteSignatureGroup, stamp: ChangeStamp(hlc: HLC(rawValue: 100), origin: "MTL", changeID: "sig"),
                                    values: signing)
            let drafts = sections.map { NoteChange(group: $0, stamp: ChangeStamp(hlc: HLC(rawValue: 50), origin: "MTL", changeID: "d-\($0)"),
                                                   values: [$0: .string("draft text")]) }
            let before = mergedNote(drafts + [signed])
            let after = mergedNote((drafts + [signed] + later).shuffled(using: &random))
            for (section, text) in zip(sections, content) {
                #expect(before[section] == .string(text))
                #expect(after[section] == .string(text), "section \(section) after \(later.count) later changes")
            }
        }
    }

    @Test("the signature that locks a note is not displaced by any later change")
    func lockStays() async {
        await propertyCheck(input: laterChanges.array(of: 0...8), Gen.uint64(in: 0...UInt64.max)) { later, seed in
            var random = SplitMix(state: seed)
            let first = ChangeStamp(hlc: HLC(rawValue: 100), origin: "MTL", changeID: "sig")
            let candidates = ([SignedNoteMerge.Candidate(stamp: first, signs: true)]
                + later.filter { $0.group == SyncSchema.noteSignatureGroup }
                    .map { SignedNoteMerge.Candidate(stamp: $0.stamp, signs: $0.values["status"] == .string("signed")) })
                .shuffled(using: &random)
            #expect(SignedNoteMerge.locking(candidates).map { candidates[$0].stamp } == first)
        }
    }

    @Test("a note no signature signs merges its groups as any row does")
    func unsignedMergesByGroup() {
        let older = NoteChange(group: "plan", stamp: ChangeStamp(hlc: HLC(rawValue: 1), origin: "QC", changeID: "x"), values: ["plan": .string("old")])
        let newer = NoteChange(group: "plan", stamp: ChangeStamp(hlc: HLC(rawValue: 2), origin: "LAV", changeID: "y"), values: ["plan": .string("new")])
        #expect(mergedNote([newer, older])["plan"] == .string("new"))
        #expect(mergedNote([older, newer])["status"] == .null)
    }

    @Test("the signature that locks a note is its first signing change; without one, the last writer's", arguments: [
        ([(5, "MTL", "b", false), (7, "QC", "c", true), (9, "MTL", "d", true)], 1),
        ([(5, "MTL", "b", true), (5, "QC", "a", true)], 0),
        ([(5, "QC", "b", true), (5, "QC", "a", true)], 1),
        ([(5, "MTL", "b", false), (6, "MTL", "a", false)], 1),
        ([(6, "MTL", "b", false), (6, "QC", "a", false)], 1),
    ])
    func lockingRule(_ candidates: [(Int64, String, String, Bool)], expected: Int) {
        let signatures = candidates.map {
            SignedNoteMerge.Candidate(stamp: ChangeStamp(hlc: HLC(rawValue: $0.0), origin: $0.1, changeID: $0.2), signs: $0.3)
        }
        #expect(SignedNoteMerge.locking(signatures) == expected)
        #expect(SignedNoteMerge.locking([]) == nil)
    }

    @Test("a change is late when stamped after the signature: a later HLC, or the same HLC from a larger origin", arguments: [
        (5, "MTL", 6, "LAV", true), (5, "MTL", 5, "QC", true), (5, "MTL", 5, "MTL", false), (5, "MTL", 4, "QC", false),
    ])
    func lateness(signatureHLC: Int64, signatureOrigin: String, changeHLC: Int64, changeOrigin: String, late: Bool) {
        #expect(SignedNoteMerge.isAfter(signatureHLC: signatureHLC, origin: signatureOrigin, changeHLC: changeHLC, changeOrigin: changeOrigin) == late)
    }

    @Test("a snapshot covers rows by id, alone or in whole rows")
    func coveredRows() throws {
        let snapshot = try JSONParser.parse(#"{"needling":["n1",{"id":"n2"}],"adverse_events":[{"id":"e1"}]}"#)
        let covered = SignedNoteMerge.coveredRows(snapshot: snapshot)
        #expect(covered["needling"] == ["n1", "n2"])
        #expect(covered["adverse_event"] == ["e1"])
    }
}
