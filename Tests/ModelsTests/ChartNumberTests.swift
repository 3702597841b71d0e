import Models
import Testing

@Suite("Chart numbers")
struct ChartNumberTests {
    @Test("print as the site code and six digits")
    func format() {
        #expect(ChartNumber(siteCode: "MTL", sequence: 42).description == "MTL-000042")
        #expect(ChartNumber(siteCode: "QC2", sequence: 1).description == "QC2-000001")
        #expect(ChartNumber(siteCode: "MTL", sequence: 1_234_567).description == "MTL-1234567")
    }

    @Test("parse whatever the case", arguments: ["MTL-000042", "mtl-000042", "Mtl-000042", "MTL-42"])
    func parse(text: String) throws {
        let chart = try #require(ChartNumber(text))
        #expect(chart == ChartNumber(siteCode: "MTL", sequence: 42))
        #expect(chart.description == "MTL-000042")
    }

    @Test("refuse anything else", arguments: [
        "", "MTL", "MTL-", "-000042", "MTL000042", "MTL-000042-1", "MTL--000042", "MTL-0000000042",
        "MTL-000000", "MTL-abc", "MTL-+42", "MTL--42", "MTL- 42", "M-000042", "1TL-000042", "MTL-٤٢", "MTL-000042 ",
    ])
    func refuse(text: String) {
        #expect(ChartNumber(text) == nil)
    }

    @Test("the first chart of a site is 000001; after 41 comes 42")
    func next() {
        #expect(ChartNumber.next(siteCode: "MTL", after: nil).description == "MTL-000001")
        #expect(ChartNumber.next(siteCode: "MTL", after: 41).description == "MTL-000042")
    }

    @Test("sort by site, then by number, not as text")
    func ordering() {
        let nine = ChartNumber(siteCode: "MTL", sequence: 9)
        let million = ChartNumber(siteCode: "MTL", sequence: 1_000_000)
        #expect(nine < million)
        #expect(ChartNumber(siteCode: "LAV", sequence: 99) < nine)
    }

    @Test("site codes are 2–8 upper-case letters or digits starting with a letter", arguments: [
        ("MTL", true), ("QC2", true), ("AB", true), ("ABCDEFGH", true),
        ("A", false), ("ABCDEFGHI", false), ("mtl", false), ("2QC", false), ("MT-L", false), ("MTÉ", false), ("", false),
    ])
    func siteCodes(code: String, valid: Bool) {
        #expect(SiteCode.isValid(code) == valid)
    }
}
