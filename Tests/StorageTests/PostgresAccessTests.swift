import Foundation
import Models
import Testing
@testable import Storage

/// A database made for one test: `PostgresSchema`, `PostgresCapture`, then `PostgresAccess` with group roles under a random prefix; one site, two staff, a patient, an
/// appointment and a draft note. Logins are made on demand; the database and every role it made
/// are dropped at the end (roles are cluster-wide).
private final class AccessDatabase {
    let cluster: PostgresCluster
    let name: String
    let access: PostgresAccess
    let site: String
    let admin: PostgresLink
    private var logins: [String] = []
    private var links: [PostgresLink] = []

    init() throws {
        cluster = try PostgresCluster.shared.get()
        let tag = UUID().uuidString.prefix(8).lowercased()
        name = "t_access_\(tag)"
        site = "s\(tag)"
        access = PostgresAccess(database: name, groupPrefix: "t\(tag)")
        let root = try cluster.adminLink()
        defer { root.close() }
        try root.execute("CREATE DATABASE \(name)")
        admin = try PostgresLink(cluster.address(user: cluster.adminUser, database: name), environment: cluster.adminEnvironment)
        for statement in PostgresSchema.setupStatements { try admin.execute(statement) }
        for statement in PostgresCapture.setupStatements { try admin.execute(statement) }
        for statement in access.setupStatements { try admin.execute(statement) }
        let rows = [
            "INSERT INTO clinic.site (id, code, name, timezone, created_at) VALUES ('site-x', 'MTL', 'Montréal', 'America/Toronto', 0)",
            "INSERT INTO clinic.staff (id, handle, name, role, created_at) VALUES ('staff-c', 'nb', 'N B', 'clinician', 0)",
            "INSERT INTO clinic.staff (id, handle, name, role, created_at) VALUES ('staff-d', 'desk', 'D K', 'front-desk', 0)",
            "INSERT INTO clinic.staff (id, handle, name, role, created_at) VALUES ('staff-a', 'boss', 'A D', 'admin', 0)",
            """
            INSERT INTO clinic.patient (id, site_id, chart, chart_seq, first, last, dob, search, created_at)
            VALUES ('pt-x', 'site-x', 'MTL-1', 1, 'A', 'B', '1980-01-01', 'a b', 0)
            """,
            "INSERT INTO clinic.room (id, site_id, name, kind, created_at) VALUES ('room-x', 'site-x', 'R1', 'treatment', 0)",
            "INSERT INTO clinic.service (id, slug, name, duration_min, discipline, created_at) VALUES ('svc-x', 'dn', 'DN', 30, 'physio', 0)",
            """
            INSERT INTO clinic.appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, created_at, updated_at)
            VALUES ('appt-x', 'pt-x', 'staff-c', 'room-x', 'svc-x', 1000, 2000, 'booked', 0, 0)
            """,
            """
            INSERT INTO clinic.note (id, appointment_id, patient_id, author_id, session_date, subjective, created_at, updated_at)
            VALUES ('note-x', 'appt-x', 'pt-x', 'staff-c', '2026-12-07', 'sore trapezius after the fall', 0, 0)
            """,
            "INSERT INTO clinic.login_session (token_hash, staff_id, opened_at, expires_at) VALUES ('h-c', 'staff-c', 0, 1)",
            "INSERT INTO clinic.login_session (token_hash, staff_id, opened_at, expires_at) VALUES ('h-d', 'staff-d', 0, 1)",
        ]
        try PostgresChangeSeal.transaction(link: admin, origin: "MTL") { link in
            for row in rows { try link.execute(row) }
        }
    }

    /// A login `<site>_<handle>` of `role` made through `clinic.create_staff_role` by `creator`
    /// (the test's admin connection unless given), and a connection as it.
    func login(_ handle: String, _ role: String, by creator: PostgresLink? = nil) throws -> PostgresLink {
        let password = "pw-\(UUID().uuidString)"
        let rows = try (creator ?? admin).query("SELECT clinic.create_staff_role($1, $2, $3, $4)",
                                                [.text(site), .text(handle), .text(role), .text(PostgresAccess.scramVerifier(password: password))])
        guard case .text(let login) = rows.first?.first else { throw StorageError(.postgres, resultCode: 0, message: "no login name") }
        logins.append(login)
        let link = try PostgresLink(cluster.address(user: login, database: name),
                                    environment: ["PGPASSWORD": password, "PGPASSFILE": "/nonexistent/pgpass"])
        links.append(link)
        return link
    }

    deinit {
        for link in links { link.close() }
        admin.close()
        if let root = try? cluster.adminLink() {
            _ = try? root.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            for role in logins + PostgresAccess.Group.allCases.map(access.role) + [access.owner] {
                _ = try? root.execute("DROP ROLE IF EXISTS \"\(role)\"")
            }
            root.close()
        }
    }
}

/// The SQLSTATE of what `body` threw, or nil when it did not throw.
private func state(_ body: () throws -> Void) -> String? {
    do { try body() } catch let error as StorageError { return error.sqlState ?? "no state" } catch { return "\(error)" }
    return nil
}

private func count(_ link: PostgresLink, _ sql: String) throws -> Int64? {
    if case .integer(let number) = try link.query(sql).first?.first { return number }
    return nil
}

@Suite("PostgreSQL roles, grants, row-level security and audited clinical reads", .timeLimit(.minutes(1)))
struct PostgresAccessTests {
    @Test("the front desk cannot read note text, its full-text copy or change values, but can read appointments")
    func deskSeesNoClinicalContent() throws {
        let database = try AccessDatabase()
        let desk = try database.login("desk", "front-desk")
        #expect(state { _ = try desk.query("SELECT subjective FROM clinic.note") } == "42501")
        #expect(state { _ = try desk.query("SELECT id FROM clinic.note") } == "42501")
        #expect(state { _ = try desk.query("SELECT body FROM clinic.note_text") } == "42501")
        #expect(state { _ = try desk.query("SELECT vals FROM clinic.change") } == "42501")
        #expect(state { _ = try desk.query("SELECT a_json FROM clinic.conflict") } == "42501")
        #expect(state { _ = try desk.query("SELECT * FROM clinic.read_note('note-x')") } == "42501")
        #expect(try count(desk, "SELECT count(*) FROM clinic.appointment") == 1)
        // Its writes still run the (definer) capture triggers, and it seals them itself.
        var updated = 0
        let sealed = try PostgresChangeSeal.transaction(link: desk, origin: "MTL") { link in
            updated = try link.execute("UPDATE clinic.appointment SET status = 'checked-in' WHERE id = 'appt-x'")
        }
        #expect(updated == 1)
        #expect(sealed.changes == 1)
        // The booking's own status change, then the desk's.
        #expect(try count(database.admin, "SELECT count(*) FROM clinic.change WHERE tbl = 'appointment' AND grp = 'status'") == 2)
        #expect(state { _ = try desk.query("SELECT count(*) FROM clinic.change") } == "42501")
    }

    @Test("a clinician reads note text only through clinic.read_note, which audits the read under its login name")
    func clinicianReadsThroughAuditedFunctions() throws {
        let database = try AccessDatabase()
        let clinician = try database.login("nb", "clinician")
        #expect(state { _ = try clinician.query("SELECT subjective FROM clinic.note") } == "42501")
        #expect(state { _ = try clinician.query("SELECT * FROM clinic.note") } == "42501")
        #expect(state { _ = try clinician.query("SELECT body FROM clinic.note_text") } == "42501")
        #expect(try count(clinician, "SELECT count(*) FROM clinic.note WHERE status = 'draft'") == 1)
        // Writing a draft works, and keeps the full-text copy current through the definer trigger.
        var updated = 0
        try PostgresChangeSeal.transaction(link: clinician, origin: "MTL") { link in
            updated = try link.execute("UPDATE clinic.note SET assessment = 'myofascial' WHERE id = 'note-x'")
        }
        #expect(updated == 1)
        #expect(try clinician.query("SELECT subjective FROM clinic.read_note('note-x')") == [[.text("sore trapezius after the fall")]])
        #expect(try clinician.query("SELECT note_id FROM clinic.search_notes('myofascial', 5)") == [[.text("note-x")]])
        #expect(try count(clinician, "SELECT count(*) FROM clinic.notes_of('pt-x')") == 1)
        let entries = try database.admin.query("SELECT actor, action, entity_id, patient_id FROM clinic.audit ORDER BY seq")
        let chain = try database.admin.query("SELECT prev_hash, hash FROM clinic.audit ORDER BY seq")
        #expect(chain.count == 3 && chain[1][0] == chain[0][1] && chain[2][0] == chain[1][1])
        let login = "\(database.site)_nb"
        #expect(entries == [[.text(login), .text("note-read"), .text("note-x"), .text("pt-x")],
                            [.text(login), .text("search"), .null, .null],
                            [.text(login), .text("notes-read"), .text("pt-x"), .text("pt-x")]])
        // Row-level security: its own session only.
        #expect(try clinician.query("SELECT token_hash FROM clinic.login_session") == [[.text("h-c")]])
    }

    @Test("no login may update or delete the audit log; admins may read it")
    func auditIsAppendOnly() throws {
        let database = try AccessDatabase()
        try database.admin.execute("SELECT clinic.audit_append(1, 'x', 'login', 'staff', NULL, NULL, 'done')")
        let admin = try database.login("boss", "admin")
        let logins = [admin, try database.login("desk", "front-desk", by: admin), try database.login("nb", "clinician", by: admin),
                      try database.login("cron", "sync", by: admin)]
        for link in logins {
            #expect(state { try link.execute("UPDATE clinic.audit SET outcome = 'forged'") } == "42501")
            #expect(state { try link.execute("DELETE FROM clinic.audit") } == "42501")
            #expect(state { try link.execute("TRUNCATE clinic.audit") } == "42501")
        }
        #expect(try count(admin, "SELECT count(*) FROM clinic.audit") == 1)
        #expect(state { _ = try admin.query("SELECT subjective FROM clinic.note") } == "42501")
    }

    @Test("setting clinic.applying does not lift the signed-note guard for a staff login; TRUNCATE is refused even to the owner")
    func applyingIsNotForEveryone() throws {
        let database = try AccessDatabase()
        try PostgresChangeSeal.transaction(link: database.admin, origin: "MTL") { link in
            try link.execute("UPDATE clinic.note SET status = 'signed', signed_by = 'staff-c', signed_at = 1 WHERE id = 'note-x'")
        }
        let clinician = try database.login("nb", "clinician")
        let tampered = state {
            try clinician.transaction { link in
                try link.execute("SELECT set_config('clinic.applying', 'on', true)")
                try link.execute("UPDATE clinic.note SET plan = 'TAMPERED' WHERE id = 'note-x'")
            }
        }
        #expect(tampered == PostgresSchema.guardState)
        for table in ["audit", "note", "patient", "appointment", "consent"] {
            #expect(state { try database.admin.execute("TRUNCATE clinic.\(table) CASCADE") } == PostgresSchema.guardState, "\(table)")
        }
        #expect(try count(database.admin, "SELECT count(*) FROM clinic.patient") == 1)
    }

    @Test("create_staff_role refuses a bad name, role or plain password without repeating it, and only admins may call it")
    func createStaffRoleRefusals() throws {
        let database = try AccessDatabase()
        let admin = try database.login("boss", "admin")
        let verifier = PostgresAccess.scramVerifier(password: "secret", iterations: 16)
        for (site, handle, role) in [(database.site, "Bad Name", "clinician"), (database.site, "x\"; DROP ROLE y; --", "clinician"),
                                     ("Upper", "nb2", "clinician"), ("with_underscore", "nb2", "clinician"),
                                     (database.site, String(repeating: "a", count: 40), "clinician"), (database.site, "nb2", "superuser")] {
            #expect(state { _ = try admin.query("SELECT clinic.create_staff_role($1, $2, $3, $4)", [.text(site), .text(handle), .text(role), .text(verifier)]) } == "22023")
        }
        do {
            _ = try admin.query("SELECT clinic.create_staff_role($1, 'nb2', 'clinician', 'plain secret 2026')", [.text(database.site)])
            Issue.record("a plain password was accepted")
        } catch let error as StorageError {
            #expect(error.sqlState == "22023")
            #expect(!"\(error)".contains("plain secret"))
        }
        let desk = try database.login("desk", "front-desk", by: admin)
        #expect(state { _ = try desk.query("SELECT clinic.create_staff_role($1, 'nb3', 'admin', $2)", [.text(database.site), .text(verifier)]) } == "42501")
        let settings = try database.admin.query("""
            SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = $1
            """, [.text("\(database.site)_desk")])
        #expect(settings == [[.text("idle_in_transaction_session_timeout=30s")]])
    }

    @Test("only the clinical tier is granted clinical content; the others only seal their own writes; note tables' SELECT is narrowed to key columns")
    func grantsFollowThePermissionTable() {
        let access = PostgresAccess(database: "d")
        let seal: Set<PostgresAccess.TableGrant> = [.init(privilege: .insert, table: "change", columns: nil),
                                                    .init(privilege: .select, table: "change_staging", columns: nil),
                                                    .init(privilege: .delete, table: "change_staging", columns: nil)]
        for group in PostgresAccess.Group.allCases where group != .sync {
            let grants = Set(access.grants(for: group))
            #expect(seal.isSubset(of: grants), "\(group)")
            let content = grants.subtracting(seal).filter { PostgresAccess.clinicalContentTables.contains($0.table) }
            if group == .clinician {
                #expect(Set(content.map(\.table)).isSubset(of: SyncSchema.clinicalTables))
            } else {
                #expect(content.isEmpty, "\(group)")
            }
        }
        for grant in access.grants(for: .clinician) where grant.privilege == .select && PostgresAccess.noteTables.contains(grant.table) {
            #expect(grant.columns?.contains("subjective") == false && grant.columns?.contains("text") == false, "\(grant.table)")
        }
        #expect(PostgresAccess.noteTables.contains("amendment_signature"))
        let missing = Set(SyncSchema.tables.map(\.name) + ["audit", "change", "note_text", "login_session"]).subtracting(PostgresAccess.schemaTables)
        #expect(missing.isEmpty, "tables the grants would skip: \(missing.sorted())")
        #expect(PostgresAccess.Group.clinician.tiers.contains(.clinical) && !PostgresAccess.Group.admin.tiers.contains(.clinical))
    }
}
