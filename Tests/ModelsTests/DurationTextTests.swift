import Models
import Testing

@Suite("Durations")
struct DurationTextTests {
    @Test("accept minutes, hours and both", arguments: [
        ("30m", 30), ("1h", 60), ("1h30m", 90), ("90m", 90), ("45M", 45), (" 2h ", 120), ("24h", 1440), ("0h15m", 15),
    ])
    func accept(text: String, minutes: Int) throws {
        #expect(try DurationText.minutes(text) == minutes)
    }

    @Test("refuse anything else with invalid-duration", arguments: [
        "", "m", "h", "1x", "0m", "25h", "30", "1h30", "30m1h", "1h1h", "1m30m", "1h 30m", "-30m", "1.5h", "24h1m", "999999m", "٣٠m",
    ])
    func refuse(text: String) {
        #expect(clinicErrorCode { _ = try DurationText.minutes(text) } == "invalid-duration")
    }

    @Test("format the way people type them, and parse back", arguments: [15, 30, 45, 60, 90, 120, 135, 1440])
    func formatRoundTrip(minutes: Int) throws {
        #expect(try DurationText.minutes(DurationText.format(minutes: minutes)) == minutes)
    }

    @Test("format examples")
    func formatExamples() {
        #expect(DurationText.format(minutes: 30) == "30m")
        #expect(DurationText.format(minutes: 60) == "1h")
        #expect(DurationText.format(minutes: 90) == "1h30m")
    }
}
