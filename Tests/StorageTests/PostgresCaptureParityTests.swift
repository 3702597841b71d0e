import Foundation
import Models
import Testing
@testable import Storage

/// The full PostgreSQL schema with its capture machinery, as `clinic init` will make it: the synced
/// tables' triggers (PostgresSchema) stage into PostgresCapture's table, and the seal stores them.
@Suite("PostgreSQL capture seals the same changes as SQLite", .timeLimit(.minutes(1)))
struct PostgresCaptureParityTests {
    @Test("a staff member added and edited on both backends gives equal canonical values and equal change ids")
    func sameChanges() throws {
        let cluster = try PostgresCluster.shared.get()
        let name = "t_capture_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try cluster.adminLink()
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
        try admin.execute("CREATE DATABASE \(name)")
        let link = try PostgresLink(cluster.address(user: cluster.adminUser, database: name), environment: cluster.adminEnvironment)
        defer { link.close() }
        for statement in PostgresSchema.setupStatements + PostgresCapture.setupStatements { try link.execute(statement) }

        let sqlite = try Database(path: ":memory:")
        let site = "INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('site-1', 'MTL', 'Montréal', 'America/Toronto', 1, 0)"
        let add = "INSERT INTO staff (id, handle, name, discipline, role, created_at) VALUES ('staff-1', 'zoe', 'Zoë \"Z\" Tremblay', 'physio', 'clinician', 5)"
        let edit = "UPDATE staff SET name = 'Zoë Tremblay, PT' WHERE id = 'staff-1'"
        let now: Int64 = 1_800_000_000_000
        sqlite.clock = ClinicClock(fixed: Date(timeIntervalSince1970: Double(now) / 1000))
        try sqlite.write { try $0.execute(site) }
        try sqlite.write { try $0.execute(add) }
        try sqlite.write { try $0.execute(edit) }
        try link.execute("SET search_path = clinic, public")
        try PostgresChangeSeal.transaction(link: link, origin: "MTL", now: { now }) { try $0.execute(site) }
        try PostgresChangeSeal.transaction(link: link, origin: "MTL", now: { now }) { try $0.execute(add) }
        try PostgresChangeSeal.transaction(link: link, origin: "MTL", now: { now }) { try $0.execute(edit) }

        let fromSQLite = try sqlite.query("SELECT tbl, grp, vals, prev IS NULL FROM change WHERE tbl IN ('site', 'staff') ORDER BY hlc, grp")
            .map { [$0.string(0), $0.string(1), $0.string(2), String($0.int(3))] }
        let fromPostgres = try link.query("SELECT tbl, grp, vals, (prev IS NULL)::int FROM change WHERE tbl IN ('site', 'staff') ORDER BY hlc, grp")
            .map { row in row.map { value -> String in
                switch value { case .text(let t): return t; case .integer(let i): return String(i); default: return "?" }
            } }
        #expect(!fromSQLite.isEmpty)
        #expect(fromPostgres == fromSQLite)
        // The ids hash origin, stamp and values: equal stamps from the same fixed clock make equal ids.
        let sqliteIDs = try sqlite.query("SELECT change_id FROM change WHERE tbl IN ('site', 'staff') ORDER BY hlc, grp").map { $0.string(0) }
        let postgresIDs = try link.query("SELECT change_id FROM change WHERE tbl IN ('site', 'staff') ORDER BY hlc, grp").map { $0[0] }
        #expect(postgresIDs == sqliteIDs.map(SQLValue.text))
    }
}
