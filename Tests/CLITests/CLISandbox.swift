import Foundation
import Testing

/// The built `clinic` executable: next to the test bundle, else in the package's build folders.
let clinicExecutable: URL? = {
    let fileManager = FileManager.default
    func executable(in directory: URL) -> URL? {
        let candidate = directory.appendingPathComponent("clinic")
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              fileManager.isExecutableFile(atPath: candidate.path) else { return nil }
        return candidate
    }
    let starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL]
    for start in starts {
        var directory = start.deletingLastPathComponent()
        for _ in 0..<6 {
            if let found = executable(in: directory) { return found }
            directory = directory.deletingLastPathComponent()
        }
    }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for folder in [".build-tests/debug", ".build/debug"] {
        if let found = executable(in: packageRoot.appendingPathComponent(folder)) { return found }
    }
    return nil
}()

/// One test's private corner of the file system: a temporary directory and a database path in it.
final class CLISandbox: Sendable {
    let directory: URL
    let databasePath: String
    static let now = "2026-11-23T14:00:00Z"

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-cli-\(UUID().uuidString)")
        databasePath = directory.appendingPathComponent("clinic.sqlite").path
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Runs `clinic` with `CLINIC_NOW` fixed and this sandbox's `--db` (unless `database` is false).
    func runClinic(_ arguments: [String], env: [String: String] = [:], database: Bool = true)
        -> (status: Int32, stdout: String, stderr: String) {
        let typed = arguments
        guard let executable = clinicExecutable else {
            Issue.record("the clinic executable was not found next to the tests; build with `swift build --build-tests`")
            return (-1, "", "")
        }
        var environment = ProcessInfo.processInfo.environment
        for key in ["CLINIC_DB", "CLINIC_ACTOR", "CLINIC_NOW"] { environment[key] = nil }
        environment["CLINIC_NOW"] = Self.now
        // Every command needs an actor: the site's admin unless a test names another (or "" for none).
        environment["CLINIC_ACTOR"] = ClinicProcess.defaultActor
        environment["XDG_DATA_HOME"] = directory.appendingPathComponent("xdg").path
        environment["XDG_STATE_HOME"] = directory.appendingPathComponent("state").path
        let target = TestIdentity.database(in: arguments, fallback: databasePath)
        environment["CLINIC_PASSPHRASE"] = TestIdentity.passphrase(forDatabase: target)
        environment.merge(env) { _, new in new }
        let arguments = TestIdentity.completed(arguments, folder: directory)

        let run = UUID().uuidString
        let outURL = directory.appendingPathComponent("\(run).out")
        let errURL = directory.appendingPathComponent("\(run).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        do {
            let outHandle = try FileHandle(forWritingTo: outURL)
            let errHandle = try FileHandle(forWritingTo: errURL)
            defer {
                try? outHandle.close()
                try? errHandle.close()
            }
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments + (database ? ["--db", databasePath] : [])
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outHandle
            process.standardError = errHandle
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            try process.run()
            if finished.wait(timeout: .now() + 120) == .timedOut {
                process.terminate()
                finished.wait()
                Issue.record("clinic \(arguments.joined(separator: " ")) did not finish in 120 s")
            }
            let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
            let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            if process.terminationStatus == 0 { TestIdentity.noteDemo(typed, database: target) }
            if process.terminationStatus == 0, !typed.contains("--passphrase-file"), let member = TestIdentity.newMember(typed) {
                let change = TestIdentity.choosePassphrase(for: member, folder: directory)
                let changed = runClinic(change.arguments, env: env.merging(change.environment) { $1 }, database: database)
                #expect(changed.status == 0, "\(member) could not choose a passphrase: \(changed.stderr)")
            }
            return (process.terminationStatus, stdout, stderr)
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

/// The top-level JSON object of a command's output, or nil.
func jsonObject(_ text: String) -> [String: Any]? {
    guard let data = text.data(using: .utf8), !data.isEmpty else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// The `{"error": {"code": …, "message": …}}` document a `--json` failure prints on stderr.
func jsonError(_ stderr: String) -> (code: String, message: String)? {
    guard let error = jsonObject(stderr.trimmingCharacters(in: .whitespacesAndNewlines))?["error"] as? [String: Any],
          let code = error["code"] as? String, let message = error["message"] as? String else { return nil }
    return (code, message)
}
