import Foundation
import Models
import Testing
@testable import Storage

/// A SCRAM login role made for one test on the test cluster, dropped afterwards.
private struct LoginRole: ~Copyable {
    let cluster: PostgresCluster
    let name: String
    let password: String

    init(_ cluster: PostgresCluster) throws {
        self.cluster = cluster
        name = "clinic_link_\(UUID().uuidString.prefix(8).lowercased())"
        password = "Pw-\(UUID().uuidString)"
        let admin = try cluster.adminLink()
        defer { admin.close() }
        try admin.execute("SET password_encryption = 'scram-sha-256'")
        // CREATE ROLE takes no bound parameters; the name and password are ours, made of safe characters.
        try admin.execute("CREATE ROLE \(name) LOGIN PASSWORD '\(password)'")
    }

    func link(password: String? = nil, environment extra: [String: String] = [:]) throws -> PostgresLink {
        var environment = ["PGPASSWORD": password ?? self.password, "PGPASSFILE": "/nonexistent/pgpass"]
        environment.merge(extra) { $1 }
        return try PostgresLink(cluster.address(user: name), environment: environment)
    }

    deinit {
        if let admin = try? cluster.adminLink() {
            _ = try? admin.execute("DROP ROLE IF EXISTS \(name)")
            admin.close()
        }
    }
}

@Suite("A synchronous PostgreSQL connection", .serialized, .timeLimit(.minutes(2)))
struct PostgresLinkTests {
    private func cluster() throws -> PostgresCluster { try PostgresCluster.shared.get() }

    @Test("a SCRAM login role connects over the Unix socket, and the server stored its password as SCRAM")
    func scramLogin() throws {
        let cluster = try cluster()
        let role = try LoginRole(cluster)
        let link = try role.link()
        defer { link.close() }
        #expect(try link.query("SELECT current_user::text, 1 + 1, NULL::text, true") == [[.text(role.name), .integer(2), .null, .integer(1)]])
        let admin = try cluster.adminLink()
        defer { admin.close() }
        let stored = try admin.query("SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = $1", [.text(role.name)])
        #expect(stored == [[.text("SCRAM-SHA-256$")]])
    }

    @Test("integers, reals, text, blobs and NULL go in and come back as the SQLite-shaped values clinic reads")
    func valueKinds() throws {
        let role = try LoginRole(try cluster())
        let link = try role.link()
        defer { link.close() }
        try link.execute("CREATE TEMP TABLE kinds (i int8, r float8, t text, b bytea, n text)")
        let values: [SQLValue] = [.integer(-42), .real(0.1), .text("Zoë ✓"), .blob([0, 255, 7]), .null]
        try link.execute("INSERT INTO kinds VALUES ($1, $2, $3, $4, $5)", values)
        #expect(try link.query("SELECT i, r, t, b, n FROM kinds") == [values])
        #expect(try link.query("SELECT i::int4, r::float4, i::int2 FROM kinds") == [[.integer(-42), .real(Double(Float(0.1))), .integer(-42)]])
    }

    @Test("a transaction commits what its body did, and rolls all of it back when the body throws")
    func transaction() throws {
        let role = try LoginRole(try cluster())
        let link = try role.link()
        defer { link.close() }
        try link.execute("CREATE TEMP TABLE visit (id int8 PRIMARY KEY, room text)")
        let inserted = try link.transaction { db in
            try db.execute("INSERT INTO visit VALUES ($1, $2), ($3, $4)", [1, "A", 2, nil])
        }
        #expect(inserted == 2)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try link.transaction { db in
                try db.execute("INSERT INTO visit VALUES ($1, $2)", [3, "C"])
                try db.execute("UPDATE visit SET room = 'Z'")
                throw Stop()
            }
        }
        #expect(try link.query("SELECT id, room FROM visit ORDER BY id") == [[1, "A"], [2, nil]])
        // A statement the server refuses inside the body rolls back as well, and the link goes on.
        let failure = #expect(throws: StorageError.self) {
            try link.transaction { db in
                try db.execute("INSERT INTO visit VALUES ($1, $2)", [4, "D"])
                try db.execute("INSERT INTO visit VALUES ($1, $2)", [1, "again"])
            }
        }
        #expect(failure?.code == .constraint)
        #expect(failure?.message.contains("23505") == true)
        #expect(failure?.message.contains("again") == false)
        #expect(try link.query("SELECT count(*) FROM visit") == [[2]])
        #expect(throws: StorageError.self) { try link.transaction { db in try db.transaction { _ in } } }
    }

    @Test("a wrong password fails with the SQLSTATE and without the password in the message")
    func wrongPassword() throws {
        let role = try LoginRole(try cluster())
        let wrong = "Wr0ng-\(UUID().uuidString)"
        let failure = #expect(throws: StorageError.self) { _ = try role.link(password: wrong) }
        #expect(failure?.code == .postgres)
        #expect(failure?.code.category == .io)
        #expect(failure?.message.contains("28P01") == true, "\(failure?.message ?? "")")
        #expect(failure?.message.contains(wrong) == false)
        #expect(failure?.message.contains(role.password) == false)
        #expect(failure?.description.contains(wrong) == false)
    }

    @Test("no password anywhere: the message says where to put one")
    func noPassword() throws {
        let role = try LoginRole(try cluster())
        let failure = #expect(throws: StorageError.self) { _ = try role.link(password: "") }
        #expect(failure?.code == .postgres)
        #expect(failure?.message.contains("PGPASSWORD") == true, "\(failure?.message ?? "")")
    }

    @Test("the password comes from a 0600 password file for the socket directory, and not from a looser one")
    func passwordFile() throws {
        let cluster = try cluster()
        let role = try LoginRole(cluster)
        let folder = try PasswordFolder()
        let escapedDirectory = cluster.socketDirectory.replacingOccurrences(of: ":", with: "\\:")
        try folder.write("\(escapedDirectory):*:postgres:\(role.name):\(role.password)\n", mode: 0o600)
        let link = try role.link(password: "", environment: ["PGPASSFILE": folder.file])
        #expect(try link.query("SELECT 1") == [[1]])
        link.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.file)
        var warnings: [String] = []
        #expect(throws: StorageError.self) {
            _ = try PostgresLink(cluster.address(user: role.name), environment: ["PGPASSFILE": folder.file], warn: { warnings.append($0) })
        }
        #expect(warnings.count == 1)
    }

    @Test("nothing listening: a postgres error naming the address, not a crash")
    func unreachable() throws {
        let address = PostgresAddress(endpoint: .socket(directory: "/nonexistent-clinic-socket"), database: "clinic", user: "nobody")
        let failure = #expect(throws: StorageError.self) { _ = try PostgresLink(address, environment: [:]) }
        #expect(failure?.code == .postgres)
        #expect(failure?.message.contains("/nonexistent-clinic-socket") == true, "\(failure?.message ?? "")")
    }
}
