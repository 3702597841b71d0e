import Models
import Testing

@Suite("Needle sides and retention")
struct NeedleSideTests {
    @Test("a GV or CV point lies on the midline when no side is given", arguments: ["GV20", "CV12", "Du14", "Ren6"])
    func midlineByDefault(code: String) throws {
        let point = try AcupointCatalog.point(code)
        #expect(try NeedleSide.resolved(nil, point: point) == .midline)
        #expect(point.meridian.isMidline)
    }

    @Test("a paired point or a muscle needs a side", arguments: ["LI4", "ST36", "BL40", "GB21"])
    func pairedNeedsSide(code: String) throws {
        let point = try AcupointCatalog.point(code)
        #expect(clinicErrorCode { _ = try NeedleSide.resolved(nil, point: point) } == "side-required")
        #expect(clinicErrorCode { _ = try NeedleSide.resolved(nil, point: nil) } == "side-required")
    }

    @Test("the side given is kept, even on a midline point", arguments: NeedleSide.allCases)
    func givenSideWins(side: NeedleSide) throws {
        #expect(try NeedleSide.resolved(side, point: try AcupointCatalog.point("GV20")) == side)
        #expect(try NeedleSide.resolved(side, point: try AcupointCatalog.point("LI4")) == side)
    }

    @Test("a retention of 0m is in and out at once; other retentions are durations", arguments: [("0m", 0), ("20m", 20), ("1h", 60)])
    func retention(text: String, minutes: Int) throws {
        #expect(try NeedlingEntry.retentionMinutes(text) == minutes)
    }
}
