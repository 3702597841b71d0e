import Foundation
import Models
import Storage

/// The PostgreSQL server the tests use. With `CLINIC_TEST_PG_SOCKET` (a socket directory) and
/// `CLINIC_TEST_PG_USER` (a role that may create roles) set, as `.ci/run` sets them, that server,
/// its password found as libpq finds it (`PGPASSWORD`, `PGPASSFILE`, `~/.pgpass`). Otherwise a
/// throwaway cluster of its own: `initdb -A scram-sha-256` in a temporary folder, started with
/// `pg_ctl` on a Unix socket only (as `nobody` when the tests run as root, since initdb refuses
/// root), stopped and removed when the test process exits.
public final class PostgresCluster: Sendable {
    /// The socket directory.
    public let socketDirectory: String
    /// A role that may create roles and databases.
    public let adminUser: String
    /// The environment the admin connects with (its password, when the cluster is ours).
    public let adminEnvironment: [String: String]

    private init(socketDirectory: String, adminUser: String, adminEnvironment: [String: String]) {
        self.socketDirectory = socketDirectory
        self.adminUser = adminUser
        self.adminEnvironment = adminEnvironment
    }

    /// Started once per test process.
    public static let shared: Result<PostgresCluster, any Error> = Result { try PostgresCluster.start() }

    /// The address of `database` on this server as `user`.
    public func address(user: String, database: String = "postgres") -> PostgresAddress {
        PostgresAddress(endpoint: .socket(directory: socketDirectory), database: database, user: user)
    }

    /// A connection as the admin role.
    public func adminLink() throws -> PostgresLink {
        try PostgresLink(address(user: adminUser), environment: adminEnvironment)
    }

    private static func start() throws -> PostgresCluster {
        let environment = ProcessInfo.processInfo.environment
        if let socket = environment["CLINIC_TEST_PG_SOCKET"], !socket.isEmpty,
           let user = environment["CLINIC_TEST_PG_USER"], !user.isEmpty {
            return PostgresCluster(socketDirectory: socket, adminUser: user, adminEnvironment: environment)
        }
        let bin = try binDirectory()
        let folder = "/tmp/clinic-pg-\(UUID().uuidString.prefix(8))"
        let data = folder + "/data"
        let password = "admin-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/pwfile"))
        let asRoot = geteuid() == 0
        if asRoot {
            try run("/bin/chown", ["-R", "nobody:", folder])
        }
        startedLock.lock()
        started = (folder, bin + "/pg_ctl", asRoot)
        startedLock.unlock()
        atexit { PostgresCluster.stopAtExit() }

        try run(bin + "/initdb", ["-D", data, "-A", "scram-sha-256", "--pwfile", folder + "/pwfile", "-U", "clinic_test_admin",
                                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asNobody: asRoot)
        try FileManager.default.removeItem(atPath: folder + "/pwfile")
        try run(bin + "/pg_ctl", ["-D", data, "-l", folder + "/server.log", "-w", "-t", "60",
                                  "-o", "-k \(folder) -c listen_addresses='' -c fsync=off", "start"], asNobody: asRoot)
        return PostgresCluster(socketDirectory: folder, adminUser: "clinic_test_admin",
                               adminEnvironment: ["PGPASSWORD": password, "PGPASSFILE": folder + "/no-pgpass"])
    }

    /// `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin` holding initdb.
    private static func binDirectory() throws -> String {
        if let output = try? run("/usr/bin/env", ["pg_config", "--bindir"]).trimmingCharacters(in: .whitespacesAndNewlines),
           FileManager.default.isExecutableFile(atPath: output + "/initdb") {
            return output
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) })
        where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw ClinicError(.usage, "no PostgreSQL server binaries (initdb) found: install postgresql or set CLINIC_TEST_PG_SOCKET")
    }

    /// Runs a tool and waits for it with posix_spawn and waitpid, its output in a file read back on
    /// failure. (Foundation's Process can wait forever here, and cannot run at all during exit.)
    @discardableResult
    private static func run(_ tool: String, _ arguments: [String], asNobody: Bool = false) throws -> String {
        // From /tmp, which `nobody` may enter (the test's own folder may not be).
        let argv = ["/usr/bin/env", "--chdir=/tmp"] + (asNobody ? ["/usr/sbin/runuser", "-u", "nobody", "--", tool] : [tool]) + arguments
        let log = "/tmp/clinic-pg-run-\(getpid())-\(UUID().uuidString.prefix(8)).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw ClinicError(.usage, ErrorMessage(verbatim: "cannot start \(argv[0]) (errno \(spawned))"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw ClinicError(.usage, ErrorMessage(verbatim: "\((tool as NSString).lastPathComponent) failed (status \(status)): \(text)"))
        }
        return text
    }

    /// The cluster this process started: its folder, pg_ctl and whether it runs as nobody.
    nonisolated(unsafe) private static var started: (folder: String, pgCtl: String, asNobody: Bool)?
    private static let startedLock = NSLock()

    private static func stopAtExit() {
        startedLock.lock()
        let cluster = started
        startedLock.unlock()
        guard let cluster else { return }
        _ = try? run(cluster.pgCtl, ["-D", cluster.folder + "/data", "-m", "immediate", "-w", "stop"], asNobody: cluster.asNobody)
        try? FileManager.default.removeItem(atPath: cluster.folder)
    }
}

/// An empty database of its own on the test cluster for one test, dropped when the test lets go of it:
/// tests run in parallel and never share one.
public final class ScratchPostgresDatabase: @unchecked Sendable {
    public let cluster: PostgresCluster
    public let name: String

    /// An empty database, or with `template` a copy of that one (which nobody may be connected to).
    public init(_ prefix: String = "t_scratch", template: ScratchPostgresDatabase? = nil) throws {
        cluster = try PostgresCluster.shared.get()
        name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try cluster.adminLink()
        defer { admin.close() }
        // The names are ours, of safe characters.
        try admin.execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0.name)" } ?? ""))
    }

    /// Where the database is, as the admin role.
    public var address: PostgresAddress { cluster.address(user: cluster.adminUser, database: name) }

    /// A `Database` connected to it as the admin role.
    public func open() throws -> Database { try Database(postgres: address, environment: cluster.adminEnvironment) }

    /// A plain link to it as the admin role.
    public func link() throws -> PostgresLink { try PostgresLink(address, environment: cluster.adminEnvironment) }

    deinit {
        if let admin = try? cluster.adminLink() {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
    }
}
