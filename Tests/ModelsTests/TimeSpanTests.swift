import Models
import Testing

@Suite("Time spans")
struct TimeSpanTests {
    /// 09:00–09:30 on some day, in minutes turned into milliseconds.
    static func span(_ start: Int, _ end: Int) -> TimeSpan {
        TimeSpan(start: Int64(start) * 60_000, end: Int64(end) * 60_000)
    }

    static let nineToHalfPast = span(540, 570)

    @Test("overlap is half-open", arguments: [
        (span(570, 600), false, "starts when the other ends"),
        (span(510, 540), false, "ends when the other starts"),
        (span(600, 630), false, "disjoint, after"),
        (span(480, 500), false, "disjoint, before"),
        (span(540, 570), true, "identical"),
        (span(530, 580), true, "containing"),
        (span(545, 560), true, "contained"),
        (span(530, 545), true, "overlapping the start"),
        (span(565, 600), true, "overlapping the end"),
        (span(569, 571), true, "one minute shared"),
    ])
    func overlaps(other: TimeSpan, expected: Bool, _ description: String) {
        #expect(Self.nineToHalfPast.overlaps(other) == expected, "\(description)")
        #expect(other.overlaps(Self.nineToHalfPast) == expected, "\(description), reversed")
    }

    @Test("contains its own sub-spans, not ones that spill over")
    func contains() {
        #expect(Self.nineToHalfPast.contains(Self.span(540, 570)))
        #expect(Self.nineToHalfPast.contains(Self.span(545, 560)))
        #expect(!Self.nineToHalfPast.contains(Self.span(530, 560)))
        #expect(!Self.nineToHalfPast.contains(Self.span(560, 580)))
        #expect(Self.nineToHalfPast.durationMillis == 30 * 60_000)
    }
}
