import Foundation
import Testing

/// The Python that runs the validation scripts: a virtual environment under the build folder
/// (`.build/test-python`), made once with the packages the scripts import. Tests that need it wait for
/// it; a second `swift test` waits on the same file lock. Any failure to make it is a test failure,
/// never a skip: the validators must run.
enum ValidationPython {
    /// What the scripts import, as pip names them.
    static let packages = ["fhir.resources==8.*", "icalendar", "recurring-ical-events"]
    static let imports = "import fhir.resources.R4B, icalendar, recurring_ical_events"

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent(".build/test-python")

    /// The interpreter to run, or why there is none.
    static let interpreter: Result<String, ProvisionError> = {
        do { return .success(try provision()) } catch { return .failure(error as? ProvisionError ?? ProvisionError(description: "\(error)")) }
    }()

    struct ProvisionError: Error, CustomStringConvertible {
        let description: String
    }

    private static func provision() throws(ProvisionError) -> String {
        let python = folder.appendingPathComponent("bin/python3").path
        try? FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        let lockPath = folder.path + ".lock"
        let lock = open(lockPath, O_CREAT | O_RDWR, 0o600)
        guard lock >= 0 else { throw ProvisionError(description: "cannot open \(lockPath)") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        if FileManager.default.isExecutableFile(atPath: python), (try? run([python, "-c", imports]))?.status == 0 { return python }
        try? FileManager.default.removeItem(at: folder)
        for step in [["python3", "-m", "venv", folder.path],
                     [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + packages,
                     [python, "-c", imports]] {
            let result: (status: Int32, output: String)
            do { result = try run(step) } catch { throw ProvisionError(description: "\(step[0]) could not be started: \(error)") }
            guard result.status == 0 else {
                throw ProvisionError(description: "making the validators' Python environment failed at `\(step.joined(separator: " "))`: \(result.output.suffix(2_000))")
            }
        }
        return python
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PIP_REQUIRE_VIRTUALENV"] = nil
        environment["PYTHONNOUSERSITE"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs one of the validation scripts in Tests/CLITests/python with the validators' Python
/// (`ValidationPython`). A missing interpreter or package is a test failure, never a skip.
func runPython(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, stdout: String, stderr: String) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")
    let python: String
    switch ValidationPython.interpreter {
    case .success(let path): python = path
    case .failure(let error):
        Issue.record("\(error)", sourceLocation: sourceLocation)
        throw error
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [folder.appendingPathComponent(script).path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus != 2, "a validation script could not run: \(stderr)", sourceLocation: sourceLocation)
    return (process.terminationStatus, stdout, stderr)
}

/// A fresh path in the clinic's temporary folder.
func scratchFile(_ clinic: ClinicProcess, _ name: String) -> String {
    URL(fileURLWithPath: clinic.database).deletingLastPathComponent().appendingPathComponent(name).path
}

/// Every appointment of the weeks starting on the Mondays given, for one practitioner (or all).
func weeksOfAppointments(_ clinic: ClinicProcess, mondays: [String], with handle: String? = nil) throws -> [[String: Any]] {
    var found: [[String: Any]] = []
    for monday in mondays {
        found += appointments(try clinic.ok(["schedule", "--week", monday] + (handle.map { ["--with", $0] } ?? [])))
    }
    return found
}

/// Writes a JSON object to a file for a validation script.
func writeJSON(_ object: [String: Any], to path: String) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}

/// stdout of a validation script parsed as JSON.
func pythonSummary(_ stdout: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
}
