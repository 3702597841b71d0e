import Foundation
import Models
import Storage
import Testing

@Suite("ExportFile: the one writer every export goes through")
struct ExportFileTests {
    @Test("a streamed file larger than the buffer arrives whole, in order, and only at commit")
    func streaming() throws {
        let store = TemporaryDatabase()
        let db = try store.open()
        let path = store.directory.appendingPathComponent("log.jsonl").path
        let file = try ExportFile(.file(path), protecting: db)
        var expected: [UInt8] = []
        for index in 0..<20_000 {
            let line = Array("{\"n\":\(index)}\n".utf8)
            expected += line
            try file.write(line)
        }
        let large = [UInt8](repeating: 0x41, count: 200_000)
        try file.write(large)
        expected += large
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is at the target before commit")
        try file.commit()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(names.allSatisfy { !$0.hasSuffix(".tmp") }, "\(names)")
    }

    @Test("an export dropped before commit leaves no file behind")
    func dropped() throws {
        let store = TemporaryDatabase()
        let db = try store.open()
        let path = store.directory.appendingPathComponent("half.json").path
        do {
            let file = try ExportFile(.file(path), protecting: db)
            try file.write("{\"half\":")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(!names.contains("half.json") && names.allSatisfy { !$0.hasSuffix(".tmp") }, "\(names)")
    }

    @Test("the database's own files are refused even when replacing is allowed", arguments: ["", "-wal", "-shm", "-journal"])
    func databaseFiles(suffix: String) throws {
        let store = TemporaryDatabase()
        let db = try store.open()
        #expect(errorCode { _ = try ExportFile(.file(store.path + suffix, replacing: true), protecting: db) } == "exists")
        let detour = store.directory.appendingPathComponent(".").appendingPathComponent("clinic.sqlite" + suffix).path
        #expect(errorCode { _ = try ExportFile(.file(detour, replacing: true), protecting: db) } == "exists")
    }
}
