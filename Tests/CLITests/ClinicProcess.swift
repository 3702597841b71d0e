import Foundation
import Testing

/// Runs the real `clinic` binary the way a user or a script does.
struct ClinicProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The `code` of a `{"error": {...}}` document on stderr.
        var errorCode: String? {
            guard let data = stderr.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let error = object["error"] as? [String: Any] else { return nil }
            return error["code"] as? String
        }

        /// stdout parsed as a JSON object.
        var json: [String: Any] {
            guard let data = stdout.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return object
        }
    }

    let database: String
    var now = "2026-11-23T14:00:00Z"
    /// The acting handle of commands that name none (`--as` on the command line overrides it).
    var actor: String

    /// One folder for every database of this test run, removed when the test process exits.
    static let runFolder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-cli-run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ClinicProcess.runFolder) }
        return folder
    }()

    /// A fresh database path in its own temporary folder, used by `actor` unless a command names another.
    init(actor: String = ClinicProcess.defaultActor) {
        self.actor = actor
        let folder = Self.runFolder.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("clinic.sqlite").path
    }

    /// The built `clinic` executable, found next to the test bundle.
    static let executable: URL = {
        var candidates: [URL] = []
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("clinic"))
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/clinic"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[candidates.count - 1]
    }()

    /// The actor of commands that name none: the admin `init` and `demo` create.
    static let defaultActor = "admin"

    /// Starts `clinic` with `--db` and the fixed clock, without waiting.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.executable
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
        let target = TestIdentity.database(in: arguments, fallback: database)
        process.arguments = ["--db", database] + TestIdentity.completed(arguments, folder: folder)
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["CLINIC_NOW"] = now
        environment.removeValue(forKey: "CLINIC_DB")
        // Every command needs an actor: the site's admin unless a test names another (or "" for none).
        environment["CLINIC_ACTOR"] = actor
        environment["CLINIC_PASSPHRASE"] = TestIdentity.passphrase(forDatabase: target)
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `clinic` to the end and collects what it printed.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let result = Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                            stderr: String(decoding: stderr, as: UTF8.self))
        if result.status == 0 { TestIdentity.noteDemo(arguments, database: TestIdentity.database(in: arguments, fallback: database)) }
        // A member synced from another site has no passphrase here yet (passphrases never leave their
        // site): this site's admin gives them one, which they replace with their own, and the command runs again.
        if result.errorCode == "login-required", result.stderr.contains("has no passphrase in this database yet") {
            let named = arguments.firstIndex(of: "--as").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
            if let member = named ?? environment["CLINIC_ACTOR"] ?? Optional(actor), member != actor, !member.isEmpty {
                let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
                let reset = try run(["staff", "reset-passphrase", member, "--passphrase-file", TestIdentity.file(holding: TestIdentity.firstPassphrase, in: folder)],
                                    environment: ["CLINIC_ACTOR": actor])
                let change = TestIdentity.choosePassphrase(for: member, folder: folder)
                let chosen = try run(change.arguments, environment: change.environment)
                if reset.status == 0, chosen.status == 0 { return try run(arguments, environment: environment) }
            }
        }
        if result.status == 0, !arguments.contains("--passphrase-file"), let member = TestIdentity.newMember(arguments) {
            let folder = URL(fileURLWithPath: database).deletingLastPathComponent()
            let change = TestIdentity.choosePassphrase(for: member, folder: folder)
            let (changing, _, changeErrors) = try start(change.arguments, environment: environment.merging(change.environment) { $1 })
            let message = changeErrors.fileHandleForReading.readDataToEndOfFile()
            changing.waitUntilExit()
            #expect(changing.terminationStatus == 0, "\(member) could not choose a passphrase: \(String(decoding: message, as: UTF8.self))")
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
}
