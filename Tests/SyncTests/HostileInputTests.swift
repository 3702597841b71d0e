import Foundation
import Models
import Storage
@testable import Sync
import TestSupport
import Testing

/// Two trusting sites: MTL with a little of everything, QC empty. Files go from MTL to QC.
final class HostilePair {
    let folder: URL
    let sender: Database
    var receiver: Database
    let senderKeys: SiteKeys
    let pristine: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let now: Int64 = 1_795_392_000_000 + 13 * 3_600_000
        let folder = self.folder
        func site(_ code: String) throws -> Database {
            let db = try Database(path: folder.appendingPathComponent("\(code).sqlite").path)
            try db.execute("PRAGMA synchronous = OFF")
            db.clock = ClinicClock(fixed: Instant.date(now))
            _ = try db.write { db in
                _ = try SiteRepository(db).createLocal(code: code, name: code, timeZone: "America/Toronto", now: now)
                try StaffRepository(db).add(handle: "admin\(code.lowercased())", name: "Admin", discipline: nil, roles: [.admin], now: now)
            }
            return db
        }
        sender = try site("MTL")
        receiver = try site("QC")
        senderKeys = try SiteKeys.ensure(sender)
        _ = try TrustStore(receiver).trust(code: "MTL", line: senderKeys.publicLine, now: now)
        _ = try TrustStore(sender).trust(code: "QC", line: try SiteKeys.ensure(receiver).publicLine, now: now)
        try sender.write { db in
            try StaffRepository(db).add(handle: "jdoe", name: "Jane", discipline: .physiotherapy, roles: [.clinician], now: now)
            try AvailabilityRepository(db).addHours(handle: "jdoe", hours: WorkingHours(weekday: 2, startMinute: 480, endMinute: 960), now: now)
            try RoomRepository(db).add(name: "Bed 1", kind: .bed, now: now)
            try ServiceRepository(db).add(slug: "physio-30", name: "Physio", durationMinutes: 30, discipline: .physiotherapy, requires: nil, now: now)
        }
        let today = CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0)
        try receiver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pristine = folder.appendingPathComponent("QC-pristine.sqlite")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("QC.sqlite"), to: pristine)
        try PatientRepository(sender).add(.init(first: "Ana", last: "Silva", dateOfBirth: CivilDate(year: 1980, month: 4, day: 2) ?? today), now: now, today: today)
        _ = try Scheduler(sender).book(.init(patientChart: "MTL-000001", practitionerHandle: "jdoe", serviceSlug: "physio-30",
                                             start: 1_796_133_600_000), now: now)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Puts the receiver back as it was before any import.
    func resetReceiver() throws {
        let clock = receiver.clock
        let path = folder.appendingPathComponent("QC-\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(at: pristine, to: path)
        receiver = try Database(path: path.path)
        receiver.clock = clock
        try receiver.execute("PRAGMA synchronous = OFF")
    }

    func export(plaintext: Bool) throws -> [UInt8] {
        let path = folder.appendingPathComponent("export-\(plaintext).jsonl").path
        _ = try Exporter(sender).export(to: .file(path, replacing: true), recipient: "QC", full: true, plaintext: plaintext)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A plaintext log signed by the sender around arbitrary body lines (for hand-made hostile content).
    func signedLog(body: [[UInt8]]) throws -> [UInt8] {
        let header = ChangeLogHeader(formatVersion: 1, schemaVersion: try sender.schemaVersion(), site: "MTL", siteID: "x", keyID: senderKeys.keyID,
                                     recipient: "QC", vector: ["MTL": 1], createdAt: 1, encapsulatedKey: nil)
        var hash = SHA256Stream()
        let headerLine = Array(header.json.canonical.utf8)
        var bytes = headerLine + [0x0A]
        for line in body {
            hash.update(bytes: line + [0x0A])
            bytes += line + [0x0A]
        }
        let digest = hash.finalizeHex()
        let signature = try senderKeys.sign(ChangeLogTrailer.signedMessage(headerLine: headerLine, count: body.count, bodySHA256: digest, chunks: 0))
        bytes += Array((ChangeLogTrailer(count: body.count, bodySHA256: digest, chunks: 0, signature: signature).json.canonical + "\n").utf8)
        return bytes
    }

    /// Imports bytes at the receiver; returns the refusal code, or nil when imported.
    func importBytes(_ bytes: [UInt8], name: String = "case.jsonl") -> String? {
        let path = folder.appendingPathComponent(name).path
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch { return "unwritable" }
        do {
            _ = try Importer(receiver).importFile(path)
            return nil
        } catch let error as ClinicError {
            return error.code.name
        } catch let error as StorageError {
            return "storage:\(error.code)"
        } catch {
            return "unexpected:\(error)"
        }
    }
}

func changeLine(table: String, row: String, group: String, values: [String: JSONValue], hlc: Int64 = 117_660_000_000_000_000) -> [UInt8] {
    let change = Change(origin: "MTL", hlc: HLC(rawValue: hlc), table: table, rowID: row, group: group, values: values, previous: nil)
    return Array(change.line.utf8)
}

@Suite("Change logs are hostile input")
struct HostileInputTests {
    static let mutationCount = Int(ProcessInfo.processInfo.environment["CLINIC_FUZZ_CASES"] ?? "") ?? 100_000
    /// The mutations run in this many shards, each with its own pair of sites and seed, so that they spread
    /// over the run's cores instead of being the last test left running.
    static let shards = 4

    @Test("seeded mutations of valid files (encrypted and plaintext) never crash, hang or change the data",
          arguments: 0..<HostileInputTests.shards)
    func mutations(shard: Int) throws {
        let pair = try HostilePair()
        let encrypted = try pair.export(plaintext: false)
        let plaintext = try pair.export(plaintext: true)
        let before = try Digest.compute(pair.receiver)
        #expect(pair.importBytes(encrypted) == nil)
        let correct = try Digest.compute(pair.receiver)
        try pair.resetReceiver()
        var random = SplitMix(state: 0xC11_41C &+ UInt64(shard))
        var refusals: [String: Int] = [:]
        var slowest = 0.0
        // Even indices mutate the encrypted file, odd ones the plaintext file: shards 0 and 2 take the first, 1 and 3 the second.
        for (step, index) in stride(from: shard, to: Self.mutationCount, by: Self.shards).enumerated() {
            var bytes = index % 2 == 0 ? encrypted : plaintext
            switch random.below(6) {
            case 0: bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
            case 1: bytes = Array(bytes.prefix(random.below(bytes.count)))
            case 2:
                let at = random.below(bytes.count)
                bytes.insert(contentsOf: [0xFF, 0xFE, 0x22, 0x7B, 0x5B][..<(1 + random.below(5))], at: at)
            case 3:
                let at = random.below(bytes.count), length = min(1 + random.below(40), bytes.count - at)
                bytes.removeSubrange(at..<at + length)
            case 4:
                let at = random.below(bytes.count)
                bytes[at] = [0x30, 0x39, 0x22, 0x2C, 0x7D, 0x0A, 0x00, 0x5C][random.below(8)]
            default:
                for _ in 0..<(2 + random.below(6)) { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            }
            if bytes == (index % 2 == 0 ? encrypted : plaintext) {
                refusals["unchanged-by-mutation", default: 0] += 1
                continue
            }
            let started = Date()
            let outcome = pair.importBytes(bytes)
            slowest = max(slowest, Date().timeIntervalSince(started))
            guard let code = outcome else {
                // Every changed byte must be refused; should one ever import, say how and check what it did.
                #expect(try Digest.compute(pair.receiver) == correct, "mutation \(index) imported wrong data")
                if let dump = ProcessInfo.processInfo.environment["CLINIC_FUZZ_DUMP"], refusals["imported-correctly"] == nil {
                    try Data(bytes).write(to: URL(fileURLWithPath: dump))
                    try Data(index % 2 == 0 ? encrypted : plaintext).write(to: URL(fileURLWithPath: dump + ".original"))
                }
                try pair.resetReceiver()
                refusals["imported-correctly", default: 0] += 1
                continue
            }
            refusals[code, default: 0] += 1
            if step % 1_250 == 0 { #expect(try Digest.compute(pair.receiver) == before, "mutation \(index) changed the data") }
        }
        #expect(try Digest.compute(pair.receiver) == before)
        #expect(Set(refusals.keys).isSubset(of: ["bad-file", "bad-signature", "untrusted-site", "not-for-this-site", "own-file", "unchanged-by-mutation"]), "\(refusals)")
        // A hang check, not a timing: each case is a few kilobytes and takes milliseconds, but on a
        // loaded two-core machine one of 100,000 imports (each starting its reading thread) may wait a second.
        #expect(slowest < 5.0, "slowest case took \(slowest) s")
        print("hostile input, shard \(shard): \((Self.mutationCount - shard + Self.shards - 1) / Self.shards) mutations, outcomes \(refusals.sorted { $0.key < $1.key }), slowest \(slowest) s")
        // The untouched files still import.
        #expect(pair.importBytes(plaintext) == nil)
        #expect(try Digest.compute(pair.receiver) == correct)
    }

    @Test("signed but malformed content is refused as bad-file and changes nothing", arguments: [
        "nested", "huge-number", "wrong-type", "duplicate-key", "invalid-utf8", "unknown-table", "sql-table", "wrong-columns", "long-row", "deep",
    ])
    func malformed(kind: String) throws {
        let pair = try HostilePair()
        let before = try Digest.compute(pair.receiver)
        let good = changeLine(table: "site", row: "r1", group: "details", values: ["code": .string("ZZ"), "name": .string("n"), "timezone": .string("UTC"), "created_at": .integer(1)])
        var text = String(decoding: good, as: UTF8.self)
        var line: [UInt8]
        switch kind {
        case "nested": line = changeLine(table: "site", row: "r1", group: "details", values: ["code": .array([.string("ZZ")]), "name": .string("n"), "timezone": .string("UTC"), "created_at": .integer(1)])
        case "huge-number": text = text.replacingOccurrences(of: "\"created_at\":1", with: "\"created_at\":1\(String(repeating: "9", count: 30))"); line = Array(text.utf8)
        case "wrong-type": text = text.replacingOccurrences(of: "\"hlc\":", with: "\"hlc\":\"1\",\"x\":"); line = Array(text.utf8)
        case "duplicate-key": text = text.replacingOccurrences(of: "{\"group\"", with: "{\"row\":\"r2\",\"group\""); line = Array(text.utf8)
        case "invalid-utf8": line = Array(text.replacingOccurrences(of: "\"n\"", with: "\"\u{1}\"").utf8); line[line.count / 2] = 0xFF
        case "unknown-table": line = changeLine(table: "sqlite_master", row: "r1", group: "details", values: [:])
        case "sql-table": line = changeLine(table: "patient; DROP TABLE patient", row: "r1", group: "details", values: [:])
        case "wrong-columns": line = changeLine(table: "site", row: "r1", group: "details", values: ["code": .string("ZZ"), "evil": .string("x")])
        case "long-row": line = changeLine(table: "site", row: String(repeating: "a", count: 5_000), group: "details", values: ["code": .string("ZZ"), "name": .string("n"), "timezone": .string("UTC"), "created_at": .integer(1)])
        default: line = Array(("{\"group\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}").utf8)
        }
        let code = pair.importBytes(try pair.signedLog(body: [line]))
        #expect(code == "bad-file", "\(kind): \(code ?? "imported")")
        #expect(try Digest.compute(pair.receiver) == before)
    }

    @Test("SQL-looking text in a value is stored as text, never run")
    func sqlLookingValues() throws {
        let pair = try HostilePair()
        let evil = "Robert'); DROP TABLE patient;--"
        let line = changeLine(table: "site", row: "01a20000-0000-7000-8000-000000000001", group: "details",
                              values: ["code": .string("XSS"), "name": .string(evil), "timezone": .string("UTC"), "created_at": .integer(1)])
        #expect(pair.importBytes(try pair.signedLog(body: [line])) == nil)
        #expect(try pair.receiver.first("SELECT name FROM site WHERE code = 'XSS'")?.string(0) == evil)
        #expect(try pair.receiver.first("SELECT COUNT(*) FROM patient")?.int(0) == 0)
    }
}
