import Foundation
import Models
@testable import Storage
import Testing

/// Roles, deactivation and the acting session below the CLI.
@Suite("Staff access: roles, deactivation, the acting session")
struct AccessTests {
    /// The staff table's capture triggers as release 10 made them: one `details` group, no `access`.
    static let releaseTenStaff = SyncedTable(name: "staff", merge: .lastWriterWins,
                                             groups: [("details", ["handle", "name", "discipline", "role", "created_at"])], references: [])

    @Test("a database made by the previous release upgrades: its staff keep their single role, are active, and deactivation syncs")
    func upgradeFromVersionTen() throws {
        let file = TemporaryDatabase()
        do {
            let old = try Database(path: file.path, migrate: false)
            for (index, script) in Migrations.all.prefix(10).enumerated() {
                try old.executeScript(script)
                try old.executeScript("PRAGMA user_version = \(index + 1)")
            }
            // Version 10 as the previous release left it: staff triggers of one group, no roles or active columns.
            try old.executeScript(Schema.dropTriggers(for: Self.releaseTenStaff) + Schema.triggers(for: Self.releaseTenStaff))
            _ = try old.write { db in
                try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('s', 'MTL', 'Montréal', 'America/Toronto', 1, 0)")
                try db.execute("INSERT INTO staff (id, handle, name, discipline, role, created_at) VALUES ('a', 'admin', 'Admin', NULL, 'admin', 0)")
                try db.execute("INSERT INTO staff (id, handle, name, discipline, role, created_at) VALUES ('d', 'desk', 'Desk', NULL, 'front-desk', 0)")
                try db.execute("INSERT INTO staff (id, handle, name, discipline, role, created_at) VALUES ('j', 'jdoe', 'Jane', 'physiotherapy', 'clinician', 0)")
            }
        }
        let db = try file.open()
        #expect(try db.schemaVersion() == Migrations.latest)
        let staff = try StaffRepository(db).all()
        #expect(staff.map(\.roles) == [[.admin], [.frontDesk], [.clinician]])
        #expect(staff.allSatisfy { $0.active })
        #expect(try StaffRepository(db).actor("desk").may(.book))
        #expect(try !StaffRepository(db).actor("desk").may(.noteRead))

        let session = AuditedSession(db: db, handle: "admin", now: testNow)
        _ = try session.deactivateStaff(handle: "jdoe")
        let access = try db.query("SELECT vals FROM change WHERE tbl = 'staff' AND row_id = 'j' AND grp = 'access'").map { $0.string(0) }
        #expect(access == [#"{"active":0,"roles":null}"#], "the deactivation is a synced change of the access group")
        #expect(throws: ClinicError(.forbidden, "'jdoe' is not an active staff member of this clinic")) {
            try StaffRepository(db).actor("jdoe")
        }
    }

    @Test("several roles: stored as a list, each allowing its part of the table")
    func severalRoles() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let admin = try db.write { try StaffRepository($0).add(handle: "admin", name: "Admin", discipline: nil, roles: [.admin], now: testNow) }
        #expect(admin.roles == [.admin])
        let session = AuditedSession(db: db, handle: "admin", now: testNow)
        let owner = try session.addStaff(handle: "owner", name: "Owner", discipline: .physiotherapy, roles: [.admin, .clinician])
        #expect(owner.roleList == "clinician,admin")
        let actor = try StaffRepository(db).actor("owner")
        #expect(actor.may(.staffAdd) && actor.may(.noteSign) && actor.may(.book))
        #expect(try db.first("SELECT role, roles FROM staff WHERE handle = 'owner'").map { [$0.string(0), $0.string(1)] } == ["clinician", "clinician,admin"])
    }

    @Test("a refused --as value that is not a handle (it could be a patient's name) is neither echoed nor audited")
    func malformedHandleNotEchoed() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let session = AuditedSession(db: db, handle: "Ana Silva 1980-04-02", now: testNow)
        do {
            _ = try session.rooms()
            Issue.record("an unknown handle was allowed")
        } catch let error as ClinicError {
            #expect(error.code.name == "forbidden")
            #expect(!error.message.contains("Ana") && !error.message.contains("1980"), "\(error.message)")
        }
        #expect(try AuditLog(db).entries().map { "\($0.actor) \($0.outcome)" } == ["? forbidden"])
    }

    @Test("the last active admin can be neither deactivated nor stripped of the role")
    func lastAdmin() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        _ = try db.write { try StaffRepository($0).add(handle: "admin", name: "Admin", discipline: nil, roles: [.admin], now: testNow) }
        let session = AuditedSession(db: db, handle: "admin", now: testNow)
        #expect(throws: ClinicError.self) { try session.deactivateStaff(handle: "admin") }
        #expect(throws: ClinicError.self) { try session.setRoles(handle: "admin", roles: [.frontDesk], discipline: nil) }
        #expect(try StaffRepository(db).actor("admin").may(.staffAdd))
        let outcomes = try AuditLog(db).entries().map { "\($0.action) \($0.outcome)" }
        #expect(outcomes == ["staff-deactivate last-admin", "staff-edit last-admin"])
    }

    @Test("a library caller cannot skip the table: the session refuses and audits before any change", arguments: [
        ("desk", "forbidden"), ("nobody", "forbidden"), ("", "actor-required"),
    ])
    func libraryRefusal(handle: String, code: String) throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        _ = try db.write { try StaffRepository($0).add(handle: "desk", name: "Desk", discipline: nil, roles: [.frontDesk], now: testNow) }
        let session = AuditedSession(db: db, handle: handle.isEmpty ? nil : handle, now: testNow)
        #expect(throws: ClinicError.self) { try session.addRoom(name: "Bed 1", kind: .bed) }
        #expect(try count("room", in: db) == 0)
        let recorded = handle.isEmpty ? "-" : handle == "nobody" ? "?" : handle
        #expect(try AuditLog(db).entries().map { "\($0.actor) \($0.action) \($0.outcome)" } == ["\(recorded) room-add \(code)"],
                "a handle no member has is not recorded: it could be anything typed after --as")
    }
}
