import Foundation
import Models

/// `clinic doctor`: checks a site's database the way an auditor would, each finding with a code.
public struct Doctor {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public struct Finding: Sendable, Equatable {
        public var code: String
        public var ok: Bool
        public var message: String
    }

    public func examine() throws -> [Finding] {
        var findings: [Finding] = []
        findings += try permissions()
        let integrity = try db.query("PRAGMA integrity_check").map { $0.string(0) }
        findings.append(Finding(code: "integrity", ok: integrity == ["ok"],
                                message: integrity == ["ok"] ? "integrity check passed" : "integrity check reports \(integrity.count) problem(s)"))
        let dangling = try db.query("PRAGMA foreign_key_check").count
        findings.append(Finding(code: "foreign-keys", ok: dangling == 0,
                                message: dangling == 0 ? "every reference resolves" : "\(dangling) row(s) reference missing rows"))
        let version = try db.schemaVersion()
        let missing = version == Migrations.latest ? try missingIndexes() : []
        findings.append(Finding(code: "schema", ok: version == Migrations.latest && missing.isEmpty,
                                message: "schema version \(version) (this clinic writes \(Migrations.latest))"
                                    + (missing.isEmpty ? "" : "; missing index(es): \(missing.joined(separator: ", "))")))
        findings.append(try clock())
        var tampered = 0, amendments = 0, signed = 0
        for row in try db.query("SELECT id FROM note WHERE status = 'signed'") {
            let note = try Notes.load(db, id: row.string(0))
            signed += 1
            if !note.hashVerified { tampered += 1 }
            amendments += note.amendments.filter { !$0.verifies(noteID: note.id) || $0.amendsHash != note.contentHash }.count
        }
        findings.append(Finding(code: "note-hash", ok: tampered == 0,
                                message: tampered == 0 ? "\(signed) signed note(s) match their hashes" : "\(tampered) signed note(s) changed after signing"))
        findings.append(Finding(code: "amendment-hash", ok: amendments == 0,
                                message: amendments == 0 ? "every amendment matches its hash" : "\(amendments) amendment(s) do not match their hashes"))
        let broken = try AuditLog(db).brokenLinks()
        findings.append(Finding(code: "audit-chain", ok: broken.isEmpty,
                                message: broken.isEmpty ? "the audit log's hash chain is unbroken"
                                                        : "the audit chain breaks at entr\(broken.count == 1 ? "y" : "ies") \(broken.prefix(5).map(String.init).joined(separator: ", "))"))
        return findings
    }

    /// Indexes a database of this schema version has and this one lacks (an import sets some aside
    /// while it runs and builds them again before it commits), found by making a fresh one in memory.
    func missingIndexes() throws -> [String] {
        let names = "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"
        let present = Set(try db.query(names).map { $0.string(0) })
        return try Database(path: ":memory:").query(names + " ORDER BY name").map { $0.string(0) }.filter { !present.contains($0) }
    }

    /// Which clock the database runs on. A test clock is not a fault (demos and tests need it), but an
    /// auditor must know that `CLINIC_NOW` can set the time of everything recorded in it.
    func clock() throws -> Finding {
        try LocalSettings(db).testClock()
            ? Finding(code: "clock", ok: true, message: "test clock: $CLINIC_NOW sets the time of every act (a database for demos and tests, not for real patients)")
            : Finding(code: "clock", ok: true, message: "system clock; CLINIC_NOW is ignored")
    }

    /// The database and its WAL and shared-memory files must be readable by their owner only.
    func permissions() throws -> [Finding] {
        var loose: [String] = []
        for suffix in ["", "-wal", "-shm"] {
            let path = db.path + suffix
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let mode = attributes[.posixPermissions] as? NSNumber else { continue }
            if mode.intValue & 0o077 != 0 { loose.append("\((path as NSString).lastPathComponent) is \(String(mode.intValue, radix: 8))") }
        }
        return [Finding(code: "permissions", ok: loose.isEmpty,
                        message: loose.isEmpty ? "database files are private to their owner (0600)" : "readable by others: " + loose.joined(separator: ", "))]
    }
}
