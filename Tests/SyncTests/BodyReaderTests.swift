import Foundation
import Models
import Storage
@testable import Sync
import Testing

/// The body is read on its own thread; what it finds wrong must surface where it is, and a refusal
/// must not leave the reading thread waiting on a writer that has gone.
@Suite("Reading the body ahead of the writer")
struct BodyReaderTests {
    /// Many more lines than the hand-over holds (`batchSize` × `depth`), one of them edited at `bad`.
    static func body(count: Int, bad: Int?, site: String) -> [[UInt8]] {
        (0..<count).map { index in
            var line = changeLine(table: "room", row: String(format: "01a20000-0000-7000-8000-%012d", index), group: "details",
                                  values: ["site_id": .string(site), "name": .string("Room \(index)"), "kind": .string("bed"), "created_at": .integer(1)],
                                  hlc: 117_660_000_000_000_000 + Int64(index))
            if index == bad, let at = line.firstIndex(of: UInt8(ascii: "R")) { line[at] = UInt8(ascii: "X") }
            return line
        }
    }

    static let count = BodyReader.batchSize * BodyReader.depth * 3

    @Test("an edited change is refused at its own line, early or late, and nothing is imported", arguments: [2, count - 3])
    func editedLine(bad: Int) throws {
        let pair = try HostilePair()
        let before = try Digest.compute(pair.receiver)
        let path = pair.folder.appendingPathComponent("edited.jsonl").path
        try Data(try pair.signedLog(body: Self.body(count: Self.count, bad: bad, site: try SiteRepository(pair.receiver).local().id))).write(to: URL(fileURLWithPath: path))
        let started = Date()
        #expect {
            _ = try Importer(pair.receiver).importFile(path)
        } throws: { error in
            // Line 1 is the header, so change k is on line k + 2.
            (error as? ClinicError)?.code.name == "bad-file" && "\(error)".contains("at line \(bad + 2):") && "\(error)".contains("edited")
        }
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(try Digest.compute(pair.receiver) == before)
        #expect(try pair.receiver.first("SELECT COUNT(*) FROM room")?.int(0) == 0)
    }

    @Test("a long valid body is imported whole, then seen again whole")
    func longBody() throws {
        let pair = try HostilePair()
        let path = pair.folder.appendingPathComponent("long.jsonl").path
        try Data(try pair.signedLog(body: Self.body(count: Self.count, bad: nil, site: try SiteRepository(pair.receiver).local().id))).write(to: URL(fileURLWithPath: path))
        let first = try Importer(pair.receiver).importFile(path)
        #expect(first.applied == Self.count)
        #expect(try pair.receiver.first("SELECT COUNT(*) FROM room")?.int(0) == Int64(Self.count))
        let again = try Importer(pair.receiver).importFile(path)
        #expect(again.applied == 0 && again.alreadySeen == Self.count)
    }
}
