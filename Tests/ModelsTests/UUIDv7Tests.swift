import Foundation
import Models
import TestSupport
import Testing

@Suite("UUIDv7")
struct UUIDv7Tests {
    static let instants: [Int64] = [0, 1, 999, 1_000, 1_795_392_000_000, 1_795_392_000_123, 1_795_392_000_999, 253_402_300_799_999]

    @Test("carries version 7 and the RFC 9562 variant", arguments: instants)
    func versionAndVariant(millis: Int64) {
        var random = SplitMix(state: UInt64(millis))
        let id = UUIDv7.make(at: Instant.date(millis), using: &random).uuid
        #expect(id.6 >> 4 == 7)
        #expect(id.8 & 0xC0 == 0x80)
    }

    @Test("the timestamp it carries is the millisecond it was made at", arguments: instants)
    func timestampRoundTrip(millis: Int64) throws {
        var random = SplitMix(state: 42)
        let id = UUIDv7.make(at: Instant.date(millis), using: &random)
        let stamp = try #require(UUIDv7.timestamp(of: id))
        #expect(Instant.millis(stamp) == millis)
    }

    @Test("round-trips every millisecond of a ten-second window")
    func timestampRoundTripWindow() {
        var random = SplitMix(state: 7)
        var mismatches = 0
        for millis in Int64(1_795_392_000_000)..<1_795_392_010_000 {
            let id = UUIDv7.make(at: Instant.date(millis), using: &random)
            if UUIDv7.timestamp(of: id).map(Instant.millis) != millis { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("a later millisecond sorts after an earlier one, whatever the random bits")
    func ordersByTime() {
        var random = SplitMix(state: 1)
        var previous: String?
        for step in 0..<500 {
            let id = UUIDv7.make(at: Instant.date(1_795_392_000_000 + Int64(step)), using: &random).uuidString.lowercased()
            if let previous { #expect(previous < id) }
            previous = id
        }
    }

    @Test("string form is lower-case, hyphenated and unique")
    func stringForm() {
        let now = Instant.date(1_795_392_000_000)
        let ids = (0..<200).map { _ in UUIDv7.string(at: now) }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id == id.lowercased())
            #expect(id.count == 36)
            #expect(UUID(uuidString: id) != nil)
        }
    }

    @Test("a version-4 id has no timestamp")
    func otherVersions() throws {
        let v4 = try #require(UUID(uuidString: "9b2f5c1e-0d7a-4c3e-8f11-2a6b7c8d9e0f"))
        #expect(UUIDv7.timestamp(of: v4) == nil)
    }

    @Test("short suffixes are the last 8 hex digits; a typed suffix needs 8 or more")
    func suffixes() {
        #expect(IDSuffix.short("0190d6f2-1c3b-7a4d-9e5f-0123456789ab") == "456789ab")
        #expect(IDSuffix.normalise("4567-89AB") == "456789ab")
        #expect(IDSuffix.normalise("89ab") == nil)
        #expect(IDSuffix.normalise("xyz12345") == nil)
    }
}
