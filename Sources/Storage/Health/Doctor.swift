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
        let postgres = db.engine == .postgres
        if postgres {
            findings += try postgresRoles()
            findings += try postgresIntegrity()
        } else {
            findings += try permissions()
            let integrity = try db.makeStatement(sql: "PRAGMA integrity_check").query().map { $0.string(0) }
            findings.append(Finding(code: "integrity", ok: integrity == ["ok"],
                                    message: integrity == ["ok"] ? "integrity check passed" : "integrity check reports \(Counted.phrase(integrity.count, "problem"))"))
            let dangling = try db.makeStatement(sql: "PRAGMA foreign_key_check").query().count
            findings.append(Finding(code: "foreign-keys", ok: dangling == 0,
                                    message: dangling == 0 ? "every reference resolves" : "\(Counted.phrase(dangling, "row")) \(dangling == 1 ? "references a missing row" : "reference missing rows")"))
        }
        let version = try db.schemaVersion()
        let latest = postgres ? PostgresSchema.version : Migrations.latest
        let differences = version == latest ? try (postgres ? postgresSchemaDifferences() : schemaDifferences()) : []
        findings.append(Finding(code: "schema", ok: version == latest && differences.isEmpty,
                                message: "schema version \(version) (this clinic writes \(latest))"
                                    + differences.map { "; \($0)" }.joined()))
        findings.append(try postgres ? postgresCapture() : capture())
        findings.append(try clock())
        var tampered = 0, amendments = 0, signed = 0, badSignatures = 0, hashOnly = 0, amendmentSignatures = 0
        for row in try db.query("SELECT id FROM note WHERE status = 'signed'") {
            let note = try Notes.load(db, id: row.string(0))
            signed += 1
            if !note.hashVerified { tampered += 1 }
            if note.signature?.method == .hashOnly { hashOnly += 1 }
            if note.signature?.verified != true { badSignatures += 1 }
            amendments += note.amendments.filter { !$0.verifies(noteID: note.id) || $0.amendsHash != note.contentHash }.count
            amendmentSignatures += note.amendments.filter { $0.signature?.verified != true }.count
        }
        findings.append(Finding(code: "note-hash", ok: tampered == 0,
                                message: tampered == 0 ? "\(Counted.phrase(signed, "signed note")) \(signed == 1 ? "matches its hash" : "match their hashes")" : "\(Counted.phrase(tampered, "signed note")) changed after signing"))
        findings.append(Finding(code: "note-signature", ok: badSignatures == 0 && amendmentSignatures == 0,
                                message: badSignatures == 0 && amendmentSignatures == 0
                                    ? "every signature verifies (\(signed - hashOnly) with the clinician's own key, \(hashOnly) hash-only from before clinician keys)"
                                    : "\(Counted.phrase(badSignatures, "note signature")) and \(Counted.phrase(amendmentSignatures, "amendment signature")) do not verify (bad signature)"))
        findings.append(Finding(code: "amendment-hash", ok: amendments == 0,
                                message: amendments == 0 ? "every amendment matches its hash" : "\(Counted.phrase(amendments, "amendment")) \(amendments == 1 ? "does not match its hash" : "do not match their hashes")"))
        let broken = try AuditLog(db).brokenLinks()
        findings.append(Finding(code: "audit-chain", ok: broken.isEmpty,
                                message: broken.isEmpty ? "the audit log's hash chain is unbroken"
                                                        : "the audit chain breaks at entr\(broken.count == 1 ? "y" : "ies") \(broken.prefix(5).map(String.init).joined(separator: ", "))"))
        findings.append(try auditLength())
        findings.append(try peerAudits())
        return findings
    }

    /// What this database's schema lacks, has changed or has more of than a fresh database of this
    /// version, made in memory: tables, indexes and triggers by name and SQL. A dropped capture
    /// trigger silently stops changes reaching other sites; a dropped guard lets a signed note or
    /// the audit log be changed. (An import sets some indexes aside while it runs and builds them
    /// again before it commits.) Missing indexes are named last.
    func schemaDifferences() throws -> [String] {
        let objects = """
            SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger', 'view') AND sql IS NOT NULL
            AND name NOT LIKE 'sqlite_%' ORDER BY type, name
            """
        func read(_ db: Database) throws -> [String: (type: String, sql: String)] {
            Dictionary(try db.makeStatement(sql: objects).query().map { ($0.string(1), ($0.string(0), $0.string(2))) }) { first, _ in first }
        }
        let present = try read(db)
        let expected = try read(Database(path: ":memory:"))
        func list(_ label: String, _ names: [String], plural: String? = nil) -> [String] {
            names.isEmpty ? [] : ["\(names.count == 1 ? label : plural ?? label + "s"): \(names.sorted().joined(separator: ", "))"]
        }
        let missing = expected.filter { present[$0.key] == nil }
        return list("missing table", missing.filter { $0.value.type == "table" || $0.value.type == "view" }.map(\.key))
            + list("missing trigger", missing.filter { $0.value.type == "trigger" }.map(\.key))
            + list("altered", expected.filter { name, object in present[name].map { $0 != object } ?? false }.map(\.key), plural: "altered")
            + list("unexpected", present.filter { expected[$0.key] == nil }.map(\.key), plural: "unexpected")
            + list("missing index", missing.filter { $0.value.type == "index" }.map(\.key), plural: "missing indexes")
    }

    /// Change capture must be on outside an import: an import switches it off inside its own
    /// transaction, so a committed `applying = 1` was left behind (by a tool, or by hand) and every
    /// local change since is kept from the other sites without a word.
    func capture() throws -> Finding {
        let applying = try db.first("SELECT applying FROM sync_state WHERE id = 1")?.int(0) ?? 0
        return Finding(code: "capture", ok: applying == 0,
                       message: applying == 0 ? "changes are captured for the other sites"
                                              : "change capture is switched off (sync_state.applying = 1 outside an import): local changes are not sent to other sites")
    }

    /// Entries cut from the end of the audit log leave the chain unbroken; what can catch them here:
    /// SQLite's sequence for the table (it never goes back), a gap in the entry numbers once new
    /// entries follow the cut, and the heads this site's change logs carried to each peer (each must
    /// still be in the log, with the same hash). Someone who also rewinds the sequence and this
    /// site's peer records is found only by a peer, at its next import of this site's logs
    /// (`audit-rewound` there).
    func auditLength() throws -> Finding {
        let log = AuditLog(db)
        let head = try log.head()
        var problems: [String] = []
        // PostgreSQL's identity sequence is not checked: a commit that fails after its entries were numbered skips numbers.
        if db.engine == .sqlite, let sequence = try db.first("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")?.int(0), sequence > head.count {
            problems.append("entries after \(head.count) were removed (entry \(sequence) was written)")
        }
        let gaps = try db.query("""
            SELECT a.seq FROM audit a WHERE a.seq > 1 AND NOT EXISTS (SELECT 1 FROM audit b WHERE b.seq = a.seq - 1) ORDER BY a.seq LIMIT 5
            """).map { $0.int(0) }
        if !gaps.isEmpty { problems.append("entries are missing before entr\(gaps.count == 1 ? "y" : "ies") \(gaps.map(String.init).joined(separator: ", "))") }
        var peers = 0
        for row in try db.query("SELECT code, audit_sent FROM peer WHERE audit_sent != '[]' ORDER BY code") {
            peers += 1
            for sent in AuditLog.sentHeads(row.string(1)) where try log.hash(at: sent.count) != sent.hash {
                problems.append("entry \(sent.count), sent to \(row.string(0)), is gone or changed")
                break
            }
        }
        return Finding(code: "audit-length", ok: problems.isEmpty,
                       message: problems.isEmpty
                           ? "the audit log holds \(Counted.phrase(Int(head.count), "entry", plural: "entries")); nothing shows entries cut from its end (checked against "
                               + (db.engine == .sqlite ? "SQLite's sequence, " : "")
                               + "the entry numbers and the heads sent to \(Counted.phrase(peers, "peer")); a cut that also rewound those is found by a peer's next import)"
                           : problems.joined(separator: "; "))
    }

    /// Peers whose audit log no longer extends what they showed this site before (`audit-rewound`
    /// at import): recorded when it was seen, listed here from then on.
    func peerAudits() throws -> Finding {
        let rewound = try db.query("SELECT code, audit_rewound_at FROM peer WHERE audit_rewound_at IS NOT NULL ORDER BY code").map {
            "\($0.string(0)) (seen \(Instant.iso($0.int(1))))"
        }
        return Finding(code: "audit-rewound", ok: rewound.isEmpty,
                       message: rewound.isEmpty ? "every peer's audit log extends what it sent here before"
                                                : "the audit log no longer extends what it sent here before at: \(rewound.joined(separator: ", "))")
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
