import Models
import Storage

/// Sync as the acting staff member: the permission table decides (encrypted exchange for the desk,
/// keys, trust, plaintext logs, quarantine and resolutions for admins), and each act is audited.
extension AuditedSession {
    /// Writes a change log: encrypted for a peer (desk), or plaintext for debugging (admin only).
    public func exportLog(to target: ExportTarget, recipient: String?, full: Bool, plaintext: Bool,
                          progress: ProgressReport? = nil) throws -> Exporter.Summary {
        try perform(plaintext ? .plaintextExport : .syncExport, entity: "site", target: recipient) { _ in
            var exporter = Exporter(db)
            exporter.progress = progress
            return try exporter.export(to: target, recipient: recipient, full: full, plaintext: plaintext)
        }
    }

    /// Applies a peer's change log, all or nothing.
    public func importLog(_ path: String, progress: ProgressReport? = nil) throws -> Importer.Summary {
        try perform(.syncImport, entity: "site") { _ in
            var importer = Importer(db)
            importer.progress = progress
            return try importer.importFile(path)
        }
    }

    /// Applies quarantined changes now: one by id, or all.
    public func acceptQuarantined(id: String?) throws -> Importer.Summary {
        try perform(.quarantineAccept, entity: "change", target: id) { _ in try QuarantineDesk(db).accept(id: id) }
    }

    /// Resolves a conflict, keeping side A or B; recorded under the actor's handle.
    public func resolveConflict(id: String, keep: String) throws -> ConflictBook.Entry {
        try perform(.conflictResolve, entity: "conflict", target: id) { actor in
            let entry = try ConflictBook(db).resolve(id: id, keep: keep, by: actor.handle, now: now)
            return actor.may(.clinicalRead) ? entry : entry.withoutClinicalContent()
        }
    }

    /// Lists conflicts; clinical values (SOAP text, needling, consents) only to clinicians. Audited:
    /// the list can hold clinical values and names the rows two sites disagree on.
    public func conflicts(includeResolved: Bool) throws -> [ConflictBook.Entry] {
        try perform(.syncConflicts, entity: "conflict") { actor in
            let entries = try ConflictBook(db).list(includeResolved: includeResolved)
            return actor.may(.clinicalRead) ? entries : entries.map { $0.withoutClinicalContent() }
        }
    }

    /// Trusts a peer's key.
    public func trust(site: String, keyLine: String) throws -> TrustedSite {
        try perform(.syncTrust, entity: "site", target: site) { _ in try TrustStore(db).trust(code: site, line: keyLine, now: now) }
    }

    /// Stops trusting a peer's key.
    public func revokeTrust(site: String) throws {
        try perform(.syncTrust, entity: "site", target: site) { _ in try TrustStore(db).revoke(code: site, now: now) }
    }

    /// The trusted sites.
    public func trustedSites() throws -> [TrustedSite] {
        try perform(.syncTrust, entity: "site") { _ in try TrustStore(db).all() }
    }

    /// This site's public keys (made on first use).
    public func siteKeys() throws -> SiteKeys {
        try perform(.syncKey, entity: "site") { _ in try SiteKeys.ensure(db) }
    }

    /// Per peer, what was sent and acknowledged; what is quarantined; the bookings here cancelled by a
    /// conflict resolution since the last look, which this look records (a local mark, never synced).
    public func syncStatus() throws -> SyncStatus {
        try read(.syncStatus, entity: "site") { db, _ in
            var status = try SyncStatus.read(db)
            status.cancelledByResolution = try ResolutionMarks(db).takeUnseen()
            return status
        }
    }

    /// Changes held in quarantine (stamped more than 5 minutes in the future).
    public func quarantined() throws -> [SyncStatus.Quarantined] {
        try read(.syncQuarantine, entity: "change") { db, _ in try SyncStatus.read(db).quarantine }
    }

    /// The digest of all synced content.
    public func digest() throws -> String {
        try read(.syncDigest, entity: "site") { db, _ in try Digest.compute(db) }
    }
}

extension ConflictBook.Entry {
    /// The entry as a non-clinician may see it: which rows, which sites and when, but none of a
    /// clinical row's values.
    func withoutClinicalContent() -> ConflictBook.Entry {
        let clinical = SyncSchema.clinicalTables.contains(table) || ["edit-after-sign", "note-on-cancelled"].contains(kind)
            || [a, b].contains(where: { $0.isClinical })
        guard clinical else { return self }
        var entry = self
        entry.a = a.withoutClinicalContent()
        entry.b = b.withoutClinicalContent()
        return entry
    }
}

extension ConflictBook.Side {
    var isClinical: Bool {
        summary["table"]?.stringValue.map(SyncSchema.clinicalTables.contains) ?? false
    }

    /// Keeps only the members that identify the row: ids, site, time and group, never text.
    func withoutClinicalContent() -> ConflictBook.Side {
        guard let members = summary.objectValue else { return self }
        let kept = ["id", "origin", "hlc", "table", "row", "group", "appointment_id", "patient_id", "author_id", "session_date", "status",
                    "note_id"]
        var side = self
        side.summary = .object(members.filter { kept.contains($0.key) })
        return side
    }
}
