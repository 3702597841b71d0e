import Foundation
import Testing

/// The one way the tests run the real `clinic`: where the binary is, the environment a test gets
/// (fixed clock, the acting admin, its passphrase, private state folders), output captured through
/// files (so a chatty stderr never blocks the pipe), a time limit, and the identity steps a script
/// would take after a command (a new member chooses their passphrase). `ClinicProcess` and
/// `CLISandbox` are the two shapes the suites use it in.
enum ClinicBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The `code` of a `{"error": {...}}` document on stderr.
        var errorCode: String? { jsonError(stderr)?.code }

        /// stdout parsed as a JSON object.
        var json: [String: Any] { jsonObject(stdout) ?? [:] }
    }

    /// The clock every test command runs on (each database is made on the test clock).
    static let now = "2026-11-23T14:00:00Z"

    /// The built `clinic` executable: next to the test bundle, else in the package's build folder.
    static let executable: URL = {
        let fileManager = FileManager.default
        func executable(in directory: URL) -> URL? {
            let candidate = directory.appendingPathComponent("clinic")
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  fileManager.isExecutableFile(atPath: candidate.path) else { return nil }
            return candidate
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if let found = executable(in: directory) { return found }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/clinic")
    }()

    /// What a command sees: the test clock (`now`), `actor` proven by the harness's passphrase for `database`,
    /// and state and data folders inside `folder`; `extra` overrides any of it ("" names nobody).
    static func environment(folder: URL, actor: String, database: String, now: String = now, extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CLINIC_DB"] = nil
        environment["CLINIC_NOW"] = now
        environment["CLINIC_ACTOR"] = actor
        environment["CLINIC_PASSPHRASE"] = TestIdentity.passphrase(forDatabase: database)
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("xdg").path
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts `clinic` without waiting, its output on pipes (for tests that run several at once).
    static func start(_ arguments: [String], environment: [String: String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `clinic` to the end (at most `timeout` seconds) with its output in files of `folder`
    /// (and `folder` as its working directory when `inFolder`).
    static func run(_ arguments: [String], environment: [String: String], folder: URL, inFolder: Bool = false,
                    timeout: Double = 120, standardInput: URL? = nil) throws -> Result {
        let name = UUID().uuidString
        let outURL = folder.appendingPathComponent("\(name).out"), errURL = folder.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let input = try standardInput.map { try FileHandle(forReadingFrom: $0) }
        defer { try? input?.close() }
        process.standardInput = input ?? FileHandle.nullDevice
        if inFolder { process.currentDirectoryURL = folder }
        process.standardOutput = outHandle
        process.standardError = errHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            Issue.record("clinic \(arguments.joined(separator: " ")) did not finish in \(Int(timeout)) s")
        }
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                      stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// What a script does after a command succeeded: remembers a demo database's passphrase, and has
    /// a member `staff add` just made choose the harness's passphrase (through `rerun`, with `environment`).
    static func afterSuccess(_ typed: [String], database: String, folder: URL, environment: [String: String],
                             rerun: ([String], [String: String]) throws -> Result) rethrows {
        TestIdentity.noteDemo(typed, database: database)
        guard !typed.contains("--passphrase-file"), let member = TestIdentity.newMember(typed) else { return }
        let change = TestIdentity.choosePassphrase(for: member, folder: folder)
        let changed = try rerun(change.arguments, environment.merging(change.environment) { $1 })
        #expect(changed.status == 0, "\(member) could not choose a passphrase: \(changed.stderr)")
    }
}

extension ClinicBinary {
    /// The handle a successful command made who can now log in: `init`'s admin, the demo's admin, or a
    /// member `staff add` made (once they have chosen their passphrase).
    static func newLogin(after typed: [String]) -> String? {
        switch typed.first {
        case "init":
            return typed.firstIndex(of: "--admin").flatMap { $0 + 1 < typed.count ? typed[$0 + 1] : nil } ?? ClinicProcess.defaultActor
        case "demo":
            return ClinicProcess.defaultActor
        default:
            return typed.contains("--passphrase-file") ? nil : TestIdentity.newMember(typed)
        }
    }

    /// Logs `handle` in on `database` (`clinic login`, one scrypt), as a workstation does when a member
    /// sits down: their later commands are proven by the session instead of a passphrase derivation each
    /// (0.1 s of CPU a command). `$CLINIC_PASSPHRASE` stays set, for signing. A member who cannot log in
    /// goes on with their passphrase.
    static func logIn(_ handle: String, database: String, environment: [String: String], folder: URL) {
        var login = environment
        login["CLINIC_ACTOR"] = handle
        login["CLINIC_PASSPHRASE"] = TestIdentity.passphrase(forDatabase: database)
        _ = try? run(["login", "--db", database], environment: login, folder: folder)
    }

    /// A command typed with no actor (`--as ""` or `$CLINIC_ACTOR` empty) must not find the harness's
    /// sessions ("the only open session" would answer): it gets a state folder of its own, empty.
    static func namesNobody(_ arguments: [String], extra: [String: String]) -> Bool {
        if let index = arguments.firstIndex(of: "--as"), index + 1 < arguments.count { return arguments[index + 1].isEmpty }
        return extra["CLINIC_ACTOR"] == ""
    }
}

/// The top-level JSON object of a command's output, or nil.
func jsonObject(_ text: String) -> [String: Any]? {
    guard let data = text.trimmingCharacters(in: .whitespacesAndNewlines).data(using: .utf8), !data.isEmpty else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// The `{"error": {"code": …, "message": …}}` document a `--json` failure prints on stderr.
func jsonError(_ stderr: String) -> (code: String, message: String)? {
    guard let error = jsonObject(stderr)?["error"] as? [String: Any],
          let code = error["code"] as? String, let message = error["message"] as? String else { return nil }
    return (code, message)
}
