import Models
import PropertyBased
import TestSupport
import Testing

/// Stamps drawn from few values, so equal HLCs and equal origins (the tie-breaks) come up often.
private let stamps = zip(Gen.int64(in: 0...4), Gen.int(in: 0...2), Gen.int(in: 0...3)).map { drawn in
    let (hlc, origin, id) = drawn
    return ChangeStamp(hlc: HLC(rawValue: hlc), origin: ["LAV", "MTL", "QC"][origin], changeID: ["a1", "b2", "c3", "d4"][id])
}

@Suite("Field group winner")
struct FieldGroupWinnerTests {
    @Test("the winner of two does not depend on their order")
    func commutative() async {
        await propertyCheck(input: stamps, stamps) { a, b in
            #expect(FieldGroupWinner.winner(a, b) == FieldGroupWinner.winner(b, a))
        }
    }

    @Test("the winner of three does not depend on how they are grouped")
    func associative() async {
        await propertyCheck(input: stamps, stamps, stamps) { a, b, c in
            #expect(FieldGroupWinner.winner(FieldGroupWinner.winner(a, b), c) == FieldGroupWinner.winner(a, FieldGroupWinner.winner(b, c)))
        }
    }

    @Test("a change merged again, or twice, changes nothing")
    func idempotent() async {
        await propertyCheck(input: stamps, stamps.array(of: 1...8)) { a, list in
            #expect(FieldGroupWinner.winner(a, a) == a)
            #expect(FieldGroupWinner.winner(among: list + list) == FieldGroupWinner.winner(among: list))
        }
    }

    @Test("any order and any split of one set of changes across files gives the same winner")
    func anyPermutationAndGrouping() async {
        await propertyCheck(input: stamps.array(of: 1...10), Gen.uint64(in: 0...UInt64.max)) { list, seed in
            var random = SplitMix(state: seed)
            let expected = FieldGroupWinner.winner(among: list)
            let shuffled = list.shuffled(using: &random)
            // Cut the shuffled changes into consecutive files, merge each, then merge the files' winners.
            var files: [[ChangeStamp]] = [[]]
            for stamp in shuffled {
                if random.chance(40), !(files.last?.isEmpty ?? true) { files.append([]) }
                files[files.count - 1].append(stamp)
            }
            let perFile = files.compactMap { FieldGroupWinner.winner(among: $0) }
            #expect(FieldGroupWinner.winner(among: shuffled) == expected)
            #expect(FieldGroupWinner.winner(among: perFile) == expected)
        }
    }

    @Test("the winner is one of the changes and beats every other one")
    func winnerBeatsTheRest() async {
        await propertyCheck(input: stamps.array(of: 1...8)) { list in
            guard let winner = FieldGroupWinner.winner(among: list) else {
                Issue.record("no winner among \(list.count) changes")
                return
            }
            #expect(list.contains(winner))
            #expect(list.allSatisfy { $0 == winner || FieldGroupWinner.wins(winner, over: $0) })
        }
    }

    @Test("the later HLC wins; at one HLC the larger origin; at one HLC and origin the larger id", arguments: [
        ((5, "MTL", "a"), (4, "QC", "z"), true),
        ((5, "QC", "a"), (5, "MTL", "z"), true),
        ((5, "MTL", "b"), (5, "MTL", "a"), true),
        ((5, "MTL", "a"), (5, "MTL", "b"), false),
        ((5, "MTL", "a"), (5, "MTL", "a"), false),
    ])
    func order(_ candidate: (Int64, String, String), _ held: (Int64, String, String), wins: Bool) {
        let a = ChangeStamp(hlc: HLC(rawValue: candidate.0), origin: candidate.1, changeID: candidate.2)
        let b = ChangeStamp(hlc: HLC(rawValue: held.0), origin: held.1, changeID: held.2)
        #expect(FieldGroupWinner.wins(a, over: b) == wins)
    }

    @Test("no changes, no winner")
    func empty() {
        #expect(FieldGroupWinner.winner(among: []) == nil)
    }
}
