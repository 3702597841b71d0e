import Foundation
import Models
import Testing

@Suite("ISO-8601 instants")
struct ISOInstantTests {
    /// 2026-12-01T14:00:00Z, counted independently of the parser (`date -u -d 2026-12-01 +%s` / 86 400).
    static let reference: Int64 = 20_788 * 86_400_000 + 14 * 3_600_000

    @Test("the reference instant is 2026-12-01")
    func reference() {
        #expect(CivilDate(daysSinceEpoch: 20_788).description == "2026-12-01")
        #expect(Instant.iso(Self.reference) == "2026-12-01T14:00:00Z")
    }

    @Test("parse Z and offsets to the same instant", arguments: [
        "2026-12-01T14:00:00Z", "2026-12-01T14:00:00z", "2026-12-01T14:00Z", "2026-12-01 14:00:00Z",
        "2026-12-01T09:00:00-05:00", "2026-12-01T09:00-05:00", "2026-12-01T19:30:00+05:30", "2026-12-01T14:00:00+00:00",
        "2026-12-02T03:45:00+13:45", "2026-12-01T00:00:00-14:00", " 2026-12-01T14:00:00Z ",
    ])
    func parse(text: String) throws {
        let date = try #require(ISOInstant.parse(text))
        #expect(Instant.millis(date) == Self.reference)
    }

    @Test("refuse text without an offset or with a malformed one", arguments: [
        "", "2026-12-01T14:00:00", "2026-12-01", "2026-12-01T14:00:00+0500", "2026-12-01T14:00:00+15:00",
        "2026-12-01T14:00:00+05:60", "2026-13-01T14:00:00Z", "2026-12-01T24:30:00Z", "2026-12-01T14:00:61Z",
        "tomorrow at nine o'clock Z", "2026-12-01X14:00:00Z", "2026-02-30T14:00:00Z",
    ])
    func refuse(text: String) {
        #expect(ISOInstant.parse(text) == nil)
    }

    @Test("Instant.iso prints UTC with Z, also before 1970", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"), (86_399_999, "1970-01-01T23:59:59Z"),
        (1_767_618_909_000, "2026-01-05T13:15:09Z"),
    ])
    func isoOutput(millis: Int64, text: String) throws {
        #expect(Instant.iso(millis) == text)
        let parsed = try #require(ISOInstant.parse(text))
        let wholeSecond = millis - ((millis % 1000) + 1000) % 1000
        #expect(Instant.millis(parsed) == wholeSecond)
    }

    @Test("CLINIC_NOW overrides the clock; a malformed value is a usage error")
    func clock() throws {
        let clock = try ClinicClock.fromEnvironment(["CLINIC_NOW": "2026-12-01T14:00:00Z"])
        #expect(clock.nowMillis() == Self.reference)
        #expect(clinicErrorCode { _ = try ClinicClock.fromEnvironment(["CLINIC_NOW": "yesterday"]) } == "invalid-time")
        let system = try ClinicClock.fromEnvironment([:])
        #expect(abs(system.now().timeIntervalSinceNow) < 60)
    }

    @Test("CLINIC_NOW sets the clock only on a test clock; elsewhere it is ignored, malformed or not, and the caller is told")
    func clockChoice() throws {
        let fixed = ["CLINIC_NOW": "2026-12-01T14:00:00Z"]
        let honoured = try ClinicClock.choose(testClock: true, environment: fixed)
        #expect(honoured.clock.nowMillis() == Self.reference && !honoured.ignoresOverride)
        let ignored = try ClinicClock.choose(testClock: false, environment: fixed)
        #expect(abs(ignored.clock.now().timeIntervalSinceNow) < 60 && ignored.ignoresOverride)
        #expect(try ClinicClock.choose(testClock: false, environment: ["CLINIC_NOW": "yesterday"]).ignoresOverride)
        #expect(clinicErrorCode { _ = try ClinicClock.choose(testClock: true, environment: ["CLINIC_NOW": "yesterday"]) } == "invalid-time")
        for testClock in [true, false] {
            let unset = try ClinicClock.choose(testClock: testClock, environment: ["CLINIC_NOW": ""])
            #expect(abs(unset.clock.now().timeIntervalSinceNow) < 60 && !unset.ignoresOverride)
        }
    }

    @Test("TimeOfDay.format pads hours and minutes to two digits, 24:00 included", arguments: [
        (0, "00:00"), (5, "00:05"), (9 * 60 + 5, "09:05"), (12 * 60 + 34, "12:34"), (23 * 60 + 59, "23:59"), (1440, "24:00"),
    ])
    func timeOfDayFormat(minuteOfDay: Int, text: String) {
        #expect(TimeOfDay.format(minuteOfDay) == text)
        #expect(TimeOfDay.parse(text) == minuteOfDay)
    }
}
