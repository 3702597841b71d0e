import Foundation
import Testing

/// One test's private corner of the file system: a temporary directory and a database path in it,
/// and `clinic` run there (through `ClinicBinary`) as the admin, with `--db` last.
final class CLISandbox: Sendable {
    let directory: URL
    /// What `--db` names: a file path (SQLite) or a `postgresql://` URL.
    let databasePath: String
    /// The backend and, on PostgreSQL, the database's lease and password environment.
    let store: BackendDatabase
    static var now: String { ClinicBinary.now }

    /// Whether each member the test makes logs in once (`ClinicBinary.logIn`); identity tests prove every command themselves.
    let sessions: Bool

    init(sessions: Bool = true, backend: Backend = .sqlite) {
        self.sessions = sessions
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = BackendDatabase(backend, folder: directory)
        databasePath = store.argument
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Runs `clinic` with `CLINIC_NOW` fixed and this sandbox's `--db` (unless `database` is false).
    func runClinic(_ arguments: [String], env: [String: String] = [:], database: Bool = true)
        -> (status: Int32, stdout: String, stderr: String) {
        let target = TestIdentity.database(in: arguments, fallback: databasePath)
        var environment = ClinicBinary.environment(folder: directory, actor: ClinicProcess.defaultActor, database: target,
                                                   extra: store.environment.merging(env) { $1 })
        if sessions, ClinicBinary.namesNobody(arguments, extra: env), env["XDG_STATE_HOME"] == nil {
            environment["XDG_STATE_HOME"] = directory.appendingPathComponent("state-nobody").path
        }
        let typed = TestIdentity.completed(arguments, folder: directory) + (database ? ["--db", databasePath] : [])
        do {
            let result = try ClinicBinary.run(typed, environment: environment, folder: directory)
            if result.status == 0 {
                ClinicBinary.afterSuccess(arguments, database: target, folder: directory, environment: env) { arguments, env in
                    let changed = runClinic(arguments, env: env, database: database)
                    return ClinicBinary.Result(status: changed.status, stdout: changed.stdout, stderr: changed.stderr)
                }
                if sessions, env["XDG_STATE_HOME"] == nil, let handle = ClinicBinary.newLogin(after: arguments) {
                    ClinicBinary.logIn(handle, database: target, environment: environment, folder: directory)
                }
            }
            return (result.status, result.stdout, result.stderr)
        } catch {
            Issue.record("could not run clinic: \(error)")
            return (-1, "", "")
        }
    }

    /// `init` with the Montréal site the CLI contract uses as its example, on the test clock so that
    /// `CLINIC_NOW` holds; the test stops if it fails.
    func initialise(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = runClinic(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        try #require(result.status == 0, "init failed: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// A number from `site show --json` (`patients`, `staff`, `rooms`, `services`).
    func siteCount(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
        let result = runClinic(["site", "show", "--json"])
        #expect(result.status == 0, "site show failed: \(result.stderr)", sourceLocation: sourceLocation)
        return jsonObject(result.stdout)?[key] as? Int
    }
}
