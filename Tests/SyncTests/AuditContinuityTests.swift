import Foundation
import Models
@testable import Storage
@testable import Sync
import Testing

/// Each change-log header carries the sender's audit head; a recipient notices when a sender's audit
/// log no longer extends what it showed before, however the files travel.
@Suite("A peer's audit log that goes back is noticed")
struct AuditContinuityTests {
    /// Appends `count` audit entries at a site.
    static func audit(_ db: Database, _ count: Int, now: Int64) throws {
        try db.write { db in
            for _ in 0..<count {
                try AuditLog(db).append(at: now, actor: "jdoe", action: "note-read", entity: "note", entityID: nil, patientID: nil, outcome: "ok")
            }
        }
    }

    /// Deletes a site's last `count` audit entries behind clinic's back, putting its guard back as it was.
    static func cut(_ db: Database, _ count: Int) throws {
        let guardSQL = try #require(try db.first("SELECT sql FROM sqlite_schema WHERE name = 'audit_no_delete'")?.string(0))
        try db.execute("DROP TRIGGER audit_no_delete")
        try db.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) FROM audit) - ?", [count])
        try db.execute(guardSQL)
    }

    /// Writes a log from site 0 for site 1 without importing it.
    static func export(_ network: Network) throws -> URL {
        network.fileCount += 1
        let file = network.folder.appendingPathComponent("audit-\(network.fileCount).jsonl")
        _ = try Exporter(network.sites[0]).export(to: .file(file.path), recipient: network.codes[1], full: false)
        return file
    }

    static func importing(_ file: URL, _ network: Network) throws -> Importer.Summary { try Importer(network.sites[1]).importFile(file.path) }

    @Test("a cut is caught whether the sender stays shorter or grows past it, even with logs lost on the way", arguments: [0, 2, 5])
    func cutIsCaught(grownBy: Int) throws {
        let network = try Network(siteCount: 2)
        try Self.audit(network.sites[0], 6, now: network.now)
        #expect(try Self.importing(try Self.export(network), network).auditRewound == false)
        try Self.audit(network.sites[0], 2, now: network.now)
        _ = try Self.export(network)  // lost on the way
        try Self.cut(network.sites[0], 4)
        try Self.audit(network.sites[0], grownBy, now: network.now)
        let summary = try Self.importing(try Self.export(network), network)
        #expect(summary.auditRewound, "grown by \(grownBy)")
        let doctor = try Doctor(network.sites[1]).examine()
        #expect(doctor.first { $0.code == "audit-rewound" }?.ok == false)
        #expect(try Doctor(network.sites[0]).examine().first { $0.code == "audit-length" }?.ok == false)
    }

    @Test("a sender that also empties its record of what it sent is still caught")
    func recordEmptied() throws {
        let network = try Network(siteCount: 2)
        try Self.audit(network.sites[0], 5, now: network.now)
        _ = try Self.importing(try Self.export(network), network)
        try Self.cut(network.sites[0], 2)
        try network.sites[0].execute("UPDATE peer SET audit_sent = '[]'")
        try Self.audit(network.sites[0], 4, now: network.now)
        #expect(try Self.importing(try Self.export(network), network).auditRewound)
    }

    @Test("older logs imported late, a log imported twice, and logs of the previous release raise nothing")
    func noFalseAlarm() throws {
        let network = try Network(siteCount: 2)
        try Self.audit(network.sites[0], 3, now: network.now)
        let older = try Self.export(network)
        try Self.audit(network.sites[0], 3, now: network.now)
        let newer = try Self.export(network)
        #expect(try Self.importing(newer, network).auditRewound == false)
        #expect(try Self.importing(older, network).auditRewound == false)
        #expect(try Self.importing(newer, network).auditRewound == false)
        try Self.audit(network.sites[0], 1, now: network.now)
        #expect(try Self.importing(try Self.export(network), network).auditRewound == false)
        // A log as the previous release wrote it: no audit member in its header.
        let previous = try ForgedLog.bytes(from: network.sites[0], recipient: network.codes[1], lines: [])
        #expect(!String(decoding: previous, as: UTF8.self).contains("\"audit\""))
        #expect(try ForgedLog.importing(previous, at: network.sites[1], folder: network.folder).auditRewound == false)
        #expect(try Doctor(network.sites[1]).examine().first { $0.code == "audit-rewound" }?.ok == true)
        #expect(try network.sites[1].first("SELECT audit_count FROM peer WHERE code = 'MTL'")?.int(0) == 7)
    }

    @Test("what the recipient makes of a claim", arguments: [
        (3, "h3", 2, [(3, "h3" as String?)], false),
        (2, "h2", 2, [], true),
        (3, "x", 2, [], true),
        (5, "h5", 2, [(3, "h3")], false),
        (5, "h5", 2, [(3, "other")], true),
        (5, "h5", 2, [(3, nil)], true),
        (5, "h5", 2, [(1, "h1")], true),
        (5, "h5", 30, [(1, "h1")], false),
    ] as [(Int64, String, Int64, [(Int64, String?)], Bool)])
    func rule(count: Int64, hash: String, serial: Int64, sent: [(Int64, String?)], rewound: Bool) {
        let known = AuditContinuity.Known(serial: 1, count: 3, hash: "h3")
        let claim = AuditClaim(count: count, hash: hash, serial: serial, sent: sent.map { AuditClaim.Checkpoint(count: $0.0, hash: $0.1) })
        #expect(AuditContinuity.isRewound(known: known, claim: claim) == rewound)
    }

    @Test("a database made at schema 10 takes the peer columns and keeps what it knew of its peers")
    func upgradeFromVersion10() throws {
        let network = try Network(siteCount: 2)
        try Self.audit(network.sites[0], 2, now: network.now)
        let path = network.sites[1].path
        try network.sites[1].executeScript("""
            ALTER TABLE peer DROP COLUMN export_serial;
            ALTER TABLE peer DROP COLUMN audit_sent;
            ALTER TABLE peer DROP COLUMN audit_serial;
            ALTER TABLE peer DROP COLUMN audit_count;
            ALTER TABLE peer DROP COLUMN audit_hash;
            ALTER TABLE peer DROP COLUMN audit_rewound_at;
            PRAGMA user_version = 10;
            """)
        let acked = try network.sites[1].first("SELECT acked FROM peer WHERE code = 'MTL'")?.string(0)
        network.sites[1] = try Database(path: path)
        network.sites[1].clock = network.sites[0].clock
        #expect(try network.sites[1].schemaVersion() == Migrations.latest)
        #expect(try network.sites[1].first("SELECT acked, export_serial, audit_sent, audit_count FROM peer WHERE code = 'MTL'").map {
            [$0.string(0), String($0.int(1)), $0.string(2), $0.optionalString(3) ?? "nil"]
        } == [acked ?? "", "0", "[]", "nil"])
        #expect(try Self.importing(try Self.export(network), network).auditRewound == false)
        #expect(try network.sites[1].first("SELECT audit_count FROM peer WHERE code = 'MTL'")?.int(0) == 2)
        #expect(try Doctor(network.sites[1]).examine().first { $0.code == "schema" }?.ok == true)
    }
}
