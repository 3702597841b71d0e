import Foundation
import Testing

/// A database of its own in the run's temporary folder, and `clinic` run on it as `actor` (through
/// `ClinicBinary`) with `--db` first, the way a script types it.
struct ClinicProcess {
    typealias Result = ClinicBinary.Result

    /// What `--db` names: a file path (SQLite) or a `postgresql://` URL.
    let database: String
    /// The backend and, on PostgreSQL, the database's lease and password environment.
    let store: BackendDatabase
    var backend: Backend { store.backend }
    /// The clock of every command (`CLINIC_NOW`); the database is on the test clock.
    var now = ClinicBinary.now
    /// The acting handle of commands that name none (`--as` on the command line overrides it).
    var actor: String

    /// One folder for every database of this test run, removed when the test process exits.
    static let runFolder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-cli-run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ClinicProcess.runFolder) }
        return folder
    }()

    /// Whether each member the test makes logs in once (`ClinicBinary.logIn`); identity tests prove every command themselves.
    let sessions: Bool

    /// A fresh database path in its own temporary folder, used by `actor` unless a command names another.
    /// On PostgreSQL, a fresh database on the test cluster, dropped when the test is done with it.
    init(actor: String = ClinicProcess.defaultActor, sessions: Bool = true, backend: Backend = .sqlite) {
        self.init(actor: actor, sessions: sessions, backend: backend, copying: nil)
    }

    /// A copy of `template`'s database (on its backend) in a folder of its own; its passphrases stay.
    init(copying template: ClinicProcess, sessions: Bool = true) {
        self.init(actor: template.actor, sessions: sessions, backend: template.backend, copying: template.store)
        TestIdentity.copied(from: template.database, to: database)
    }

    private init(actor: String, sessions: Bool, backend: Backend, copying template: BackendDatabase?) {
        self.actor = actor
        self.sessions = sessions
        let folder = Self.runFolder.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
        store = BackendDatabase(backend, folder: folder, copying: template)
        database = store.argument
    }

    static var executable: URL { ClinicBinary.executable }

    /// The actor of commands that name none: the admin `init` and `demo` create.
    static let defaultActor = "admin"

    /// This test's own folder (the SQLite file, session state, passphrase files, outputs).
    let folder: URL

    private func commandLine(_ arguments: [String]) -> [String] {
        ["--db", database] + TestIdentity.completed(arguments, folder: folder)
    }

    private func environment(_ arguments: [String], _ extra: [String: String]) -> [String: String] {
        ClinicBinary.environment(folder: folder, actor: actor, database: TestIdentity.database(in: arguments, fallback: database), now: now,
                                 extra: store.environment.merging(extra) { $1 })
    }

    /// Starts `clinic` with `--db` and the fixed clock, without waiting.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        try ClinicBinary.start(commandLine(arguments), environment: environment(arguments, extra))
    }

    /// Runs `clinic` to the end and collects what it printed.
    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:], standardInput: URL? = nil) throws -> Result {
        let target = TestIdentity.database(in: arguments, fallback: database)
        var environment = environment(arguments, extra)
        if sessions, ClinicBinary.namesNobody(arguments, extra: extra), extra["XDG_STATE_HOME"] == nil {
            environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state-nobody").path
        }
        let result = try ClinicBinary.run(commandLine(arguments), environment: environment, folder: folder, standardInput: standardInput)
        // A member synced from another site has no passphrase here yet (passphrases never leave their
        // site): this site's admin gives them one, which they replace with their own, and the command runs again.
        if result.errorCode == "login-required", result.stderr.contains("has no passphrase in this database yet") {
            let named = arguments.firstIndex(of: "--as").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            if let member = named ?? extra["CLINIC_ACTOR"] ?? Optional(actor), member != actor, !member.isEmpty {
                let reset = try run(["staff", "reset-passphrase", member, "--passphrase-file", TestIdentity.file(holding: TestIdentity.firstPassphrase, in: folder)],
                                    environment: ["CLINIC_ACTOR": actor])
                let change = TestIdentity.choosePassphrase(for: member, folder: folder)
                let chosen = try run(change.arguments, environment: change.environment)
                if reset.status == 0, chosen.status == 0 { return try run(arguments, environment: extra) }
            }
        }
        if result.status == 0 {
            try ClinicBinary.afterSuccess(arguments, database: target, folder: folder, environment: extra) { try run($0, environment: $1) }
            if sessions, extra["XDG_STATE_HOME"] == nil, let handle = ClinicBinary.newLogin(after: arguments) {
                ClinicBinary.logIn(handle, database: target, environment: self.environment(arguments, extra), folder: folder)
            }
        }
        return result
    }

    /// Runs a command that must succeed and returns its JSON.
    @discardableResult
    func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try run(arguments + ["--json"])
        #expect(result.status == 0, "clinic \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.json
    }

    /// Runs `clinic` on a pseudo-terminal (util-linux `script`), as a person at a terminal would, and returns
    /// what the terminal showed (stdout and stderr together, with carriage returns as they were written).
    func inTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        // Only standard output and standard error are the terminal: with standard input one too, a passphrase would be asked for.
        let command = "exec " + ([ClinicBinary.executable.path] + commandLine(arguments)).map(quoted).joined(separator: " ") + " < /dev/null"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = environment(arguments, extra)
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let shown = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: shown, as: UTF8.self), stderr: "")
    }
}
