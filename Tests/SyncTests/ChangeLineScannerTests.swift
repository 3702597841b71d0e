import Models
import Storage
@testable import Sync
import Testing

@Suite("Change lines read by position")
struct ChangeLineScannerTests {
    func line(_ values: [String: JSONValue], previous: String? = nil) -> [UInt8] {
        Array(Change(origin: "MTL", hlc: HLC(physical: 1_795_392_000_000, counter: 3), table: "appointment", rowID: "a-1",
                     group: "status", values: values, previous: previous).line.utf8)
    }

    /// The status group's columns as the scanner takes them.
    let status = GroupLayout.of(table: "appointment", group: "status")!

    @Test("a canonical line gives back its fields, its values in the group's column order, and its id")
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
            let columns = try #require(SyncSchema.table("appointment")?.group(named: "status"))
            #expect(scanned.ordered(in: buffer, columns: status.columns) == columns.map { SyncValues.sql(values[$0]!) })
            #expect(status.index == SyncSchema.table("appointment")?.groups.firstIndex { $0.name == "status" })
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
                #expect(scanned.ordered(in: buffer, columns: status.columns) == nil)
            }
        }
        let reordered = Array(#"{"group":"status","hlc":1,"id":"0000000000000000000000000000000000000000000000000000000000000000","origin":"MTL","prev":null,"row":"a","table":"appointment","values":{"status":"x","late_cancel":0}}"#.utf8)
        try reordered.withUnsafeBufferPointer { buffer in
            let scanned = try #require(ScannedLine.scan(buffer))
            #expect(scanned.ordered(in: buffer, columns: status.columns) == nil)
        }
    }

    /// Values that are canonical but do not name exactly the group's columns are left to the general
    /// parse, which refuses them with its own message.
    @Test("values naming a column twice, a column of another group, or not every column are not read here")
    func otherColumns() throws {
        let cases: [[String: JSONValue]] = [
            ["status": .string("booked"), "late_cancel": .integer(0)],
            ["status": .string("booked"), "late_cancel": .integer(0), "cancel_reason": .null, "room_id": .string("r-1")],
            ["status": .string("booked"), "late_cancel": .integer(0), "start_ms": .integer(5)],
        ]
        for values in cases {
            let bytes = line(values)
            try bytes.withUnsafeBufferPointer { buffer in
                let scanned = try #require(ScannedLine.scan(buffer))
                #expect(scanned.ordered(in: buffer, columns: status.columns) == nil)
            }
        }
        let twice = Array(#"{"group":"status","hlc":1,"id":"0000000000000000000000000000000000000000000000000000000000000000","origin":"MTL","prev":null,"row":"a","table":"appointment","values":{"cancel_reason":null,"cancel_reason":null,"status":"x"}}"#.utf8)
        try twice.withUnsafeBufferPointer { buffer in
            let scanned = try #require(ScannedLine.scan(buffer))
            #expect(scanned.ordered(in: buffer, columns: status.columns) == nil)
        }
        #expect(GroupLayout.of(table: "appointment", group: "_deleted")?.columns == [])
        #expect(GroupLayout.of(table: "amendment", group: "_deleted") == nil)
        #expect(GroupLayout.of(table: "nope", group: "status") == nil)
    }
}
