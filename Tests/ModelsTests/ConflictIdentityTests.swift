import Models
import PropertyBased
import Testing

private let references = Gen.letterOrNumber.string(of: 1...12)

@Suite("Conflict identity")
struct ConflictIdentityTests {
    static let kinds = ["double-booking", "duplicate-chart", "duplicate-handle", "duplicate-slug", "concurrent-edit", "note-on-cancelled"]

    @Test("the same conflict gets the same id whichever side was found first", arguments: kinds)
    func orderIndependent(kind: String) async {
        await propertyCheck(input: references, references) { a, b in
            let one = ConflictIdentity.between(kind: kind, a, b), other = ConflictIdentity.between(kind: kind, b, a)
            #expect(one.id == other.id)
            #expect(one == ConflictIdentity.between(kind: kind, a, b))
        }
    }

    @Test("sides of one kind are stored smaller first; a note on a cancelled booking keeps the booking as A")
    func sides() async {
        await propertyCheck(input: references, references) { a, b in
            let booking = ConflictIdentity.between(kind: "double-booking", a, b)
            #expect(booking.a == min(a, b) && booking.b == max(a, b))
            let note = ConflictIdentity.between(kind: "note-on-cancelled", a, b)
            #expect(note.a == a && note.b == b)
        }
    }

    @Test("different kinds over the same rows are different conflicts")
    func kindsApart() async {
        await propertyCheck(input: references, references) { a, b in
            let ids = Set(Self.kinds.map { ConflictIdentity.between(kind: $0, a, b).id })
            #expect(ids.count == Self.kinds.count)
        }
    }

    @Test("an edit after sign is named by the signature and the late change, in that order")
    func editAfterSign() async {
        await propertyCheck(input: references, references) { signature, late in
            let identity = ConflictIdentity.editAfterSign(signature: signature, late: late)
            #expect(identity == ConflictIdentity.editAfterSign(signature: signature, late: late))
            #expect(identity.a == signature && identity.b == late)
            if signature != late { #expect(identity.id != ConflictIdentity.editAfterSign(signature: late, late: signature).id) }
        }
    }

    @Test("ids are the ones earlier releases recorded, so sites on both agree")
    func stableAcrossReleases() {
        #expect(ConflictIdentity.between(kind: "double-booking", "b", "a").id == SHA256Hex.of("double-booking|a|b"))
        #expect(ConflictIdentity.editAfterSign(signature: "s", late: "l").id == SHA256Hex.of("edit-after-sign|s|l"))
    }
}
