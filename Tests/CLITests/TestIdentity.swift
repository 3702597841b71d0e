import Foundation

/// How the test harnesses prove who is acting, as a script would: every staff member a test makes
/// chooses `passphrase` as their own, `init` gets `--admin admin` unless the test names one, and each
/// command carries `$CLINIC_PASSPHRASE` (stdin is never a terminal in tests). Databases made by
/// `clinic demo` use the demo's printed passphrase. Session files go to a folder of the database's own.
enum TestIdentity {
    static let passphrase = "test passphrase 2026"
    /// What `staff add` gives a new member; the harness then has them choose `passphrase`.
    static let firstPassphrase = "first passphrase 2026"
    static let demoPassphrase = "demo"
    static let adminName = "Clinic administrator"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var demoDatabases = Set<String>()

    /// The database a command line names with `--db`, else `fallback`.
    static func database(in arguments: [String], fallback: String) -> String {
        if let index = arguments.firstIndex(of: "--db"), index + 1 < arguments.count { return arguments[index + 1] }
        return fallback
    }

    /// Remembers a database made by `clinic demo`.
    static func noteDemo(_ arguments: [String], database: String) {
        guard arguments.first == "demo" else { return }
        lock.lock()
        demoDatabases.insert(database)
        lock.unlock()
    }

    /// A copy of a database keeps its passphrases.
    static func copied(from source: String, to target: String) {
        lock.lock()
        if demoDatabases.contains(source) { demoDatabases.insert(target) }
        lock.unlock()
    }

    static func passphrase(forDatabase path: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return demoDatabases.contains(path) ? demoPassphrase : passphrase
    }

    /// A file holding `text` on its first line, in `folder`.
    static func file(holding text: String, in folder: URL) -> String {
        let path = folder.appendingPathComponent("passphrase-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8))
        return path
    }

    /// The command line as a script would type it: `init` names its admin, `staff add` gives the first passphrase.
    static func completed(_ arguments: [String], folder: URL) -> [String] {
        var arguments = arguments
        if arguments.first == "init" {
            if !arguments.contains("--admin") { arguments += ["--admin", ClinicProcess.defaultActor] }
            if !arguments.contains("--admin-name") { arguments += ["--admin-name", adminName] }
        }
        if arguments.starts(with: ["staff", "add"]), !arguments.contains("--passphrase-file") {
            arguments += ["--passphrase-file", file(holding: firstPassphrase, in: folder)]
        }
        return arguments
    }

    /// The handle a successful `staff add` made with the harness's first passphrase, which the member now replaces.
    static func newMember(_ arguments: [String]) -> String? {
        guard arguments.starts(with: ["staff", "add"]), arguments.count > 2 else { return nil }
        return arguments[2...].first { !$0.hasPrefix("-") }
    }

    /// The command that has a new member choose the harness's passphrase, and its environment.
    static func choosePassphrase(for handle: String, folder: URL) -> (arguments: [String], environment: [String: String]) {
        (["passphrase", "--passphrase-file", file(holding: passphrase, in: folder)],
         ["CLINIC_ACTOR": handle, "CLINIC_PASSPHRASE": firstPassphrase])
    }
}
