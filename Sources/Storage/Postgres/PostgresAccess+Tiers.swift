import Foundation
import Models

extension PostgresAccess {
    public enum Privilege: String, CaseIterable, Sendable {
        case select = "SELECT", insert = "INSERT", update = "UPDATE", delete = "DELETE"
    }

    /// One privilege on one table, on some of its columns only when `columns` is set.
    public struct TableGrant: Sendable, Equatable, Hashable {
        public let privilege: Privilege
        public let table: String
        public let columns: [String]?
    }

    /// Every table `PostgresSchema.setupStatements` and `PostgresCapture.setupStatements` make, by name (appointment's DDL is unqualified).
    public static let schemaTables: [String] = (PostgresSchema.setupStatements + PostgresCapture.setupStatements).compactMap { statement in
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let range = text.range(of: #"^CREATE (UNLOGGED )?TABLE (clinic\.)?[a-z_]+"#, options: .regularExpression) else { return nil }
        return String(text[range].split(whereSeparator: { $0 == " " || $0 == "." }).last ?? "")
    }

    /// Tables whose rows carry clinical content: the clinical tables, the full-text copy of notes, and
    /// what holds their values (changes, staged changes, conflicts, quarantined lines).
    public static let clinicalContentTables: Set<String> =
        SyncSchema.clinicalTables.union(["note_text", "change", "change_staging", "conflict", "quarantine"])

    /// The note and what hangs off it (by references, transitively): a clinician reads their content
    /// through the definer functions only.
    public static let noteTables: [String] = {
        var found: Set<String> = [SyncSchema.signedNoteTable.name]
        for table in SyncSchema.tables where table.references.contains(where: { found.contains($0.table) }) {
            found.insert(table.name)
        }
        return SyncSchema.tables.map(\.name).filter { found.contains($0) && SyncSchema.clinicalTables.contains($0) }
    }()

    /// The columns of a note table a clinician may SELECT directly: ids, references, status and times
    /// (what `WHERE`, the guards and a signature check need), never content.
    public static func noteKeyColumns(_ name: String) -> [String] {
        guard let table = SyncSchema.table(name) else { return ["id"] }
        let status = table.signing == .signedNote ? ["status", "signed_by", "signed_at", "content_hash", "session_date"] : []
        let times = ["created_at"] + table.localColumns
        return ["id"] + table.references.map(\.column) + status + times.filter { table.columns.contains($0) || table.localColumns.contains($0) }
    }

    /// What the actions of each tier need of the tables (besides clinical reads, which go through functions).
    static func tierNeeds(_ tier: Action.Tier) -> [(table: String, privileges: [Privilege])] {
        let read: [Privilege] = [.select], write: [Privilege] = [.select, .insert, .update]
        switch tier {
        case .desk:
            return ["site", "staff", "room", "service", "service_offer", "site_closure", "credential", "patient_alias",
                    "peer", "pending_row", "sync_state", "local_setting"].map { ($0, read) }
                + ["patient", "patient_contact", "time_off", "appointment", "schedule_bound"].map { ($0, write) }
                + [("patient_archive", read), ("working_hours", write + [.delete])]
        case .frontOffice:
            return [("patient_archive", write)]
        case .administration:
            return ["staff", "staff_key", "room", "service", "service_offer", "site_closure", "site", "trusted_site",
                    "site_key", "patient_alias", "peer", "local_setting"].map { ($0, write) }
                + [("credential", [.select, .insert]), ("conflict_resolution", [.select, .insert]), ("audit", read),
                   ("staff_secret", [.insert, .update]), ("sealed_key", [.insert]), ("passphrase_attempt", [.select, .delete])]
        case .identity:
            return [("staff", read), ("staff_key", read), ("login_session", write), ("staff_secret", [.select, .update]),
                    ("sealed_key", read), ("passphrase_attempt", [.select, .insert])]
        case .clinical:
            return SyncSchema.clinicalTables.sorted().map { ($0, write) } + [("hash_only_signature", [.select, .insert])]
        case .fileOwner:
            return []
        }
    }

    /// What the exchange of changes needs: the change log, conflicts, quarantine and the synced tables
    /// it applies received changes to.
    static var syncNeeds: [(table: String, privileges: [Privilege])] {
        let all = Privilege.allCases
        return (["change", "conflict", "quarantine", "peer", "pending_row", "sync_state", "schedule_bound"]
                + SyncSchema.tables.map(\.name)).map { ($0, all) } + [("audit", [.select])]
    }

    /// What sealing one's own transaction needs (`PostgresChangeSeal`, run by every login that writes):
    /// taking one's own staged rows (row-level security keeps them to `txid_current()`), and appending
    /// to the change log without reading it. No one but sync may SELECT `change`.
    static let sealNeeds: [(table: String, privileges: [Privilege])] = [("change_staging", [.select, .delete]), ("change", [.insert])]

    /// The functions every login calls as part of a write: the commit tick and the audit append, both run
    /// as the owner (they touch the clock, `audit_pending` and `capture_tx`, which no login may).
    public static let writeFunctions = ["commit_tick(bigint)", "audit_append(bigint, text, text, text, text, text, text)"]

    /// The group's privileges: the union of its tiers' needs, clinical content only for the clinical
    /// tier, a note table's SELECT narrowed to its key columns; only tables the schema has.
    public func grants(for group: Group) -> [TableGrant] {
        var grants: [TableGrant] = []
        func add(_ grant: TableGrant) { if !grants.contains(grant) { grants.append(grant) } }
        let known = Set(Self.schemaTables)
        for (table, privileges) in Self.sealNeeds where known.contains(table) {
            privileges.forEach { add(TableGrant(privilege: $0, table: table, columns: nil)) }
        }
        guard group != .sync else {
            for (table, privileges) in Self.syncNeeds where known.contains(table) {
                privileges.forEach { add(TableGrant(privilege: $0, table: table, columns: nil)) }
            }
            return grants
        }
        for tier in group.tiers {
            for (table, privileges) in Self.tierNeeds(tier) where known.contains(table) {
                if Self.clinicalContentTables.contains(table) && tier != .clinical { continue }
                if table == "note_text" { continue }
                for privilege in privileges {
                    let narrowed = privilege == .select && Self.noteTables.contains(table)
                    add(TableGrant(privilege: privilege, table: table, columns: narrowed ? Self.noteKeyColumns(table) : nil))
                }
            }
        }
        return grants
    }
}
