import ArgumentParser
import Models
import Storage

/// `clinic doctor`: integrity, permissions, schema version, note hashes, audit continuity.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check the database: permissions, integrity, references, schema, signed-note hashes, audit chain.",
        discussion: "Exits 0 when every check passes and 1 when any finding needs attention.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let findings = try session.acting.examine()
        struct View: Encodable { let code: String, ok: Bool, message: String }
        struct Report: Encodable { let ok: Bool, findings: [View] }
        let report = Report(ok: findings.allSatisfy(\.ok), findings: findings.map { View(code: $0.code, ok: $0.ok, message: $0.message) })
        try session.emit(report) {
            var table = TextTable("CHECK", "RESULT", "DETAIL")
            for f in findings { table.add(f.code, f.ok ? "ok" : "PROBLEM", f.message) }
            return table.render()
        }
        if !report.ok { throw ExitCode(ExitStatus.refused) }
    }
}
