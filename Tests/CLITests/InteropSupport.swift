import Foundation
import Testing

/// Runs one of the validation scripts in Tests/CLITests/python with `python3`. A missing
/// interpreter or package is a test failure, never a skip: `.ci/run` installs them.
func runPython(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32, stdout: String, stderr: String) {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", folder.appendingPathComponent(script).path] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do {
        try process.run()
    } catch {
        Issue.record("python3 could not be started (\(error)); install it and the packages .ci/run lists", sourceLocation: sourceLocation)
        throw error
    }
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus != 2 && process.terminationStatus != 127,
            "python3 or a validation package is missing — run .ci/run or pip install 'fhir.resources==8.*' icalendar recurring-ical-events: \(stderr)",
            sourceLocation: sourceLocation)
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
