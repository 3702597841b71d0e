import ArgumentParser
import Models
import Storage
import Sync

struct SyncExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a change log for another site (incremental: what it is not known to have).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var destination: DestinationOptions
    @Option(name: .customLong("for"), help: "Site code of the recipient; the log holds what that site is not known to have.") var recipient: String?
    @Flag(help: "Write an unencrypted (still signed) log, for debugging only; without --for it holds everything.") var plaintext = false
    @Flag(help: "Everything this site holds, not only what the recipient lacks.") var full = false

    func validate() throws {
        if recipient == nil, !plaintext { throw ValidationError("give --for SITE (or --plaintext for a debugging export)") }
    }

    func run() throws {
        let session = try global.open()
        let bar = ProgressBar.start("Exporting changes", unit: .items("changes"), json: global.json)
        let summary: Exporter.Summary
        do {
            defer { bar?.finish() }
            summary = try session.acting.exportLog(to: destination.target, recipient: recipient, full: full, plaintext: plaintext, progress: bar?.report)
        }
        struct View: Encodable { let file: String, changes: Int, recipient: String?, body_sha256: String, vector: [String: Int64] }
        try session.emit(View(file: destination.to, changes: summary.changes, recipient: summary.recipient, body_sha256: summary.bodySHA256,
                              vector: summary.vector), onStandardError: destination.isStandardOutput) {
            "Wrote \(summary.changes) change\(summary.changes == 1 ? "" : "s")" + (summary.recipient.map { " for \($0)" } ?? "") + " to \(destination.name)"
        }
    }
}
