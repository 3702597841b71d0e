import ArgumentParser
import Models
import Storage
import Sync

struct SyncImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Apply a change log from another site: all of it or nothing; a second import changes nothing.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Change-log file to read.") var file: String

    func run() throws {
        let session = try global.open()
        let bar = ProgressBar.start("Importing changes", unit: .items("changes"), json: global.json)
        let summary: Importer.Summary
        do {
            defer { bar?.finish() }
            summary = try session.acting.importLog(file, progress: bar?.report)
        }
        struct View: Encodable { let from: String, applied: Int, already_seen: Int, conflicts: Int, quarantined: Int, pending: Int, audit_rewound: Bool }
        try session.emit(View(from: summary.from, applied: summary.applied, already_seen: summary.alreadySeen, conflicts: summary.conflicts,
                              quarantined: summary.quarantined, pending: summary.pending, audit_rewound: summary.auditRewound)) {
            "From \(summary.from): \(summary.applied) applied, \(summary.alreadySeen) already seen, \(summary.conflicts) new conflict\(summary.conflicts == 1 ? "" : "s"), "
                + "\(summary.quarantined) quarantined" + (summary.pending > 0 ? ", \(summary.pending) rows waiting for their references" : "")
                + (summary.auditRewound ? "\nWarning: audit-rewound: \(summary.from)'s audit log no longer extends what it sent here before "
                    + "(entries were removed or rewritten there); 'clinic doctor' lists it, and 'clinic doctor' at \(summary.from) should be run" : "")
        }
    }
}
