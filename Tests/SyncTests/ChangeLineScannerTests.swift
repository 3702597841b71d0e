import Models
@testable import Sync
import Testing

@Suite("Change lines read by position")
struct ChangeLineScannerTests {
    func line(_ values: [String: JSONValue], previous: String? = nil) -> [UInt8] {
        Array(Change(origin: "MTL", hlc: HLC(physical: 1_795_392_000_000, counter: 3), table: "appointment", rowID: "a-1",
                     group: "status", values: values, previous: previous).line.utf8)
    }

    @Test("a canonical line gives back its fields, its values and its id")
    func roundTrip() throws {
        let values: [String: JSONValue] = ["status": .string("cancelled"), "late_cancel": .integer(-12), "cancel_reason": .null]
        let change = Change(origin: "MTL", hlc: HLC(physical: 1_795_392_000_000, counter: 3), table: "appointment", rowID: "a-1",
                            group: "status", values: values, previous: "p-1")
        let bytes = Array(change.line.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            let scanned = try #require(ScannedLine.scan(buffer))
            #expect(scanned.origin == "MTL" && scanned.table == "appointment" && scanned.row == "a-1" && scanned.group == "status")
            #expect(scanned.hlc == change.hlc.rawValue && scanned.previous == "p-1")
            #expect(scanned.claimedID(in: buffer) == change.id)
            #expect(scanned.idMatches(in: buffer))
            #expect(scanned.values(in: buffer) == values)
        }
    }

    @Test("an edited byte fails the id check")
    func edited() throws {
        var bytes = line(["status": .string("booked"), "late_cancel": .integer(0), "cancel_reason": .null])
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "b")))
        bytes[index] = UInt8(ascii: "c")
        bytes.withUnsafeBufferPointer { buffer in
            #expect(ScannedLine.scan(buffer)?.idMatches(in: buffer) == false)
        }
    }

    @Test("escapes, decimals and other layouts are left to the general parse", arguments: [
        #"{"group":"status","hlc":1,"id":"00","origin":"MTL","prev":null,"row":"a","table":"appointment","values":{}}"#,
        #"{"hlc":1,"group":"status"}"#,
    ])
    func otherLayouts(_ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { #expect(ScannedLine.scan($0) == nil) }
    }

    @Test("values that are not canonical flat JSON are not read here")
    func nonCanonicalValues() throws {
        for values: [String: JSONValue] in [["status": .string("say \"hi\"")], ["status": .decimal(0.5)]] {
            let bytes = line(values)
            try bytes.withUnsafeBufferPointer { buffer in
                let scanned = try #require(ScannedLine.scan(buffer))
                #expect(scanned.values(in: buffer) == nil)
            }
        }
        let reordered = Array(#"{"group":"status","hlc":1,"id":"0000000000000000000000000000000000000000000000000000000000000000","origin":"MTL","prev":null,"row":"a","table":"appointment","values":{"status":"x","late_cancel":0}}"#.utf8)
        try reordered.withUnsafeBufferPointer { buffer in
            let scanned = try #require(ScannedLine.scan(buffer))
            #expect(scanned.values(in: buffer) == nil)
        }
    }
}
