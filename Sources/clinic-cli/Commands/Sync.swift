import ArgumentParser
import Models
import Storage
import Sync

/// `clinic sync`: exchange change logs with other sites, offline.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Exchange change logs with other sites; see what is sent, acknowledged and in conflict.",
        subcommands: [SyncExport.self, SyncImport.self, SyncStatusCommand.self, SyncConflicts.self, SyncQuarantine.self, SyncTrust.self,
                      SyncKey.self, SyncDigest.self])
}

struct SyncExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a change log for another site (incremental: what it is not known to have).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: DestinationOptions
    @Option(name: .customLong("for"), help: "Site code of the recipient; the log holds what that site is not known to have.") var recipient: String?
    @Flag(help: "Write an unencrypted (still signed) log, for debugging only; without --for it holds everything.") var plaintext = false
    @Flag(help: "Everything this site holds, not only what the recipient lacks.") var full = false

    func validate() throws {
        if recipient == nil, !plaintext { throw ValidationError("give --for SITE (or --plaintext for a debugging export)") }
    }

    func run() throws {
        let session = try global.open()
        let summary = try session.acting.exportLog(to: destination.target, recipient: recipient, full: full, plaintext: plaintext)
        struct View: Encodable { let file: String, changes: Int, recipient: String?, body_sha256: String, vector: [String: Int64] }
        try session.emit(View(file: destination.to, changes: summary.changes, recipient: summary.recipient, body_sha256: summary.bodySHA256,
                              vector: summary.vector), onStandardError: destination.isStandardOutput) {
            "Wrote \(summary.changes) change\(summary.changes == 1 ? "" : "s")" + (summary.recipient.map { " for \($0)" } ?? "") + " to \(destination.name)"
        }
    }
}

struct SyncImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Apply a change log from another site: all of it or nothing; a second import changes nothing.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Change-log file to read.") var file: String

    func run() throws {
        let session = try global.open()
        let summary = try session.acting.importLog(file)
        struct View: Encodable { let from: String, applied: Int, already_seen: Int, conflicts: Int, quarantined: Int, pending: Int, audit_rewound: Bool }
        try session.emit(View(from: summary.from, applied: summary.applied, already_seen: summary.alreadySeen, conflicts: summary.conflicts,
                              quarantined: summary.quarantined, pending: summary.pending, audit_rewound: summary.auditRewound)) {
            "From \(summary.from): \(summary.applied) applied, \(summary.alreadySeen) already seen, \(summary.conflicts) new conflict\(summary.conflicts == 1 ? "" : "s"), "
                + "\(summary.quarantined) quarantined" + (summary.pending > 0 ? ", \(summary.pending) rows waiting for their references" : "")
                + (summary.auditRewound ? "\nWarning: audit-rewound: \(summary.from)'s audit log no longer extends what it sent here before "
                    + "(entries were removed or rewritten there); 'clinic doctor' lists it, and 'clinic doctor' at \(summary.from) should be run" : "")
        }
    }
}

struct SyncStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Per peer: what was sent and acknowledged; what is quarantined.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let status = try session.acting.syncStatus()
        struct PeerView: Encodable {
            let site: String, sent: [String: Int64], acknowledged: [String: Int64], last_export: String?, last_import: String?
            let exported_changes: Int, imported_changes: Int, unacknowledged_changes: Int
        }
        struct QuarantineView: Encodable { let id: String, origin: String, hlc: String, stamped: String, received_from: String }
        struct View: Encodable {
            let site: String, hlc: String, changes: Int, vector: [String: Int64], peers: [PeerView], quarantine: [QuarantineView]
            let pending_rows: Int, open_conflicts: Int
        }
        let view = View(site: status.site, hlc: status.hlc.description, changes: status.changes, vector: status.vector,
                        peers: status.peers.map {
                            PeerView(site: $0.code, sent: $0.sent, acknowledged: $0.acked, last_export: $0.lastExport.map(Instant.iso),
                                     last_import: $0.lastImport.map(Instant.iso), exported_changes: $0.exported, imported_changes: $0.imported,
                                     unacknowledged_changes: $0.unacknowledged)
                        },
                        quarantine: status.quarantine.map {
                            QuarantineView(id: $0.id, origin: $0.origin, hlc: $0.hlc.description, stamped: Instant.iso($0.hlc.physical), received_from: $0.receivedFrom)
                        },
                        pending_rows: status.pending, open_conflicts: status.openConflicts)
        try session.emit(view) {
            var text = "Site \(view.site) · clock \(view.hlc) · \(view.changes) changes · \(view.open_conflicts) open conflict\(view.open_conflicts == 1 ? "" : "s")"
            if view.pending_rows > 0 { text += " · \(view.pending_rows) rows waiting for references" }
            var peers = TextTable("PEER", "LAST EXPORT", "LAST IMPORT", "SENT", "RECEIVED", "NOT YET ACKNOWLEDGED")
            for p in view.peers {
                peers.add(p.site, p.last_export ?? "never", p.last_import ?? "never", String(p.exported_changes), String(p.imported_changes), String(p.unacknowledged_changes))
            }
            text += "\n" + (view.peers.isEmpty ? "No peers yet." : peers.render())
            if !view.quarantine.isEmpty {
                var table = TextTable("QUARANTINED", "ORIGIN", "STAMPED", "FROM")
                for q in view.quarantine { table.add(String(q.id.prefix(12)), q.origin, q.stamped, q.received_from) }
                text += "\n" + table.render() + "\nThese are stamped more than 5 minutes in the future; 'clinic sync quarantine --accept ID' applies one now."
            }
            return text
        }
    }
}

struct SyncConflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "List conflicts LWW cannot fix; resolve one (A = smaller (HLC, origin)).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Conflict id (or its first 8+ characters) to resolve.") var resolve: String?
    @Option(help: "Side to keep: A or B. Keeping one side of a double booking cancels the other.") var keep: String?
    @Flag(help: "Also list resolved conflicts.") var all = false

    func validate() throws {
        if (resolve == nil) != (keep == nil) { throw ValidationError("--resolve and --keep go together") }
        if let keep, keep != "A", keep != "B" { throw ValidationError("--keep must be A or B") }
    }

    struct View: Encodable {
        struct Side: Encodable { let ref: String, version: JSONOutputValue }
        let id: String, kind: String, table: String, a: Side, b: Side, resolution: String?
        init(_ entry: ConflictBook.Entry) {
            id = entry.id
            kind = entry.kind
            table = entry.table
            a = Side(ref: entry.a.reference, version: JSONOutputValue(entry.a.summary))
            b = Side(ref: entry.b.reference, version: JSONOutputValue(entry.b.summary))
            resolution = entry.resolution
        }
    }

    func run() throws {
        let session = try global.open()
        if let resolve, let keep {
            let entry = try session.acting.resolveConflict(id: resolve, keep: keep)
            try session.emit(View(entry)) { "Resolved \(entry.id.prefix(12)) (\(entry.kind)): kept \(keep)" }
            return
        }
        let entries = try session.acting.conflicts(includeResolved: all)
        try session.emit(["conflicts": entries.map(View.init)]) {
            guard !entries.isEmpty else { return "No conflicts." }
            var table = TextTable("ID", "KIND", "A", "B", "RESOLVED")
            for e in entries {
                table.add(String(e.id.prefix(12)), e.kind, Self.describe(e.a), Self.describe(e.b), e.resolution.map { "kept \($0)" } ?? "")
            }
            return table.render()
        }
    }

    static func describe(_ side: ConflictBook.Side) -> String {
        if let origin = side.summary["origin"]?.stringValue {
            return "\(origin) \(side.summary["group"]?.stringValue ?? "") @\(side.summary["hlc"]?.stringValue ?? "")"
        }
        if let start = side.summary["start_ms"]?.integerValue {
            return "\(IDSuffix.short(side.reference)) \(Instant.iso(start))"
        }
        return IDSuffix.short(side.reference)
    }
}

struct SyncQuarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "List changes stamped more than 5 minutes in the future; accept them.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Quarantined change id (or prefix) to apply now.") var accept: String?
    @Flag(help: "Apply every quarantined change now.") var all = false

    func run() throws {
        let session = try global.open()
        if accept != nil || all {
            let summary = try session.acting.acceptQuarantined(id: all ? nil : accept)
            struct View: Encodable { let applied: Int, conflicts: Int }
            try session.emit(View(applied: summary.applied, conflicts: summary.conflicts)) { "Applied \(summary.applied) quarantined change(s)." }
            return
        }
        let quarantine = try session.acting.quarantined()
        struct View: Encodable { let id: String, origin: String, stamped: String, received_from: String }
        try session.emit(["quarantine": quarantine.map { View(id: $0.id, origin: $0.origin, stamped: Instant.iso($0.hlc.physical), received_from: $0.receivedFrom) }]) {
            guard !quarantine.isEmpty else { return "Nothing in quarantine." }
            var table = TextTable("ID", "ORIGIN", "STAMPED", "FROM")
            for q in quarantine { table.add(String(q.id.prefix(12)), q.origin, Instant.iso(q.hlc.physical), q.receivedFrom) }
            return table.render()
        }
    }
}

struct SyncDigest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "SHA-256 of all synced content: equal at two sites exactly when their data is equal.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let digest = try session.acting.digest()
        try session.emit(["digest": digest]) { digest }
    }
}

struct SyncKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Print this site's public keys as one line to give to other sites ('sync trust --key').")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let keys = try session.acting.siteKeys()
        try session.emit(["site": keys.code, "key": keys.publicLine, "key_id": keys.keyID]) { keys.publicLine }
    }
}

struct SyncTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Trust another site's key (its logs are accepted and exports to it are encrypted for it); list or revoke.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Site code of the peer, e.g. QC.") var site: String?
    @Option(help: "The line the peer's 'clinic sync key' printed.") var key: String?
    @Flag(help: "List trusted sites.") var list = false
    @Option(help: "Stop trusting this site's key.") var revoke: String?

    func validate() throws {
        let modes = [site != nil || key != nil, list, revoke != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give --site with --key, or --list, or --revoke CODE") }
        if (site == nil) != (key == nil) { throw ValidationError("--site and --key go together") }
    }

    struct View: Encodable { let site: String, key_id: String, trusted_at: String, revoked_at: String? }

    func run() throws {
        let session = try global.open()
        if let site, let key {
            let trusted = try session.acting.trust(site: site, keyLine: key)
            try session.emit(View(site: trusted.code, key_id: trusted.keyID, trusted_at: Instant.iso(trusted.trustedAt), revoked_at: nil)) {
                "Trusted site \(trusted.code) (key \(trusted.keyID))"
            }
        } else if let revoke {
            try session.acting.revokeTrust(site: revoke)
            try session.emit(["revoked": revoke]) { "Revoked site \(revoke): its change logs are refused from now on" }
        } else {
            let sites = try session.acting.trustedSites()
            try session.emit(["trusted": sites.map { View(site: $0.code, key_id: $0.keyID, trusted_at: Instant.iso($0.trustedAt), revoked_at: $0.revokedAt.map(Instant.iso)) }]) {
                guard !sites.isEmpty else { return "No trusted sites." }
                var table = TextTable("SITE", "KEY ID", "TRUSTED", "REVOKED")
                for s in sites { table.add(s.code, s.keyID, Instant.iso(s.trustedAt), s.revokedAt.map(Instant.iso) ?? "") }
                return table.render()
            }
        }
    }
}
