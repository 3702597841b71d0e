import ArgumentParser
import Models
import Storage
import Sync

struct SyncQuarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "List changes stamped more than 5 minutes in the future; accept them.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Quarantined change id (or prefix) to apply now.") var accept: String?
    @Flag(help: "Apply every quarantined change now.") var all = false

    func run() throws {
        let session = try global.open()
        if accept != nil || all {
            let summary = try session.acting.acceptQuarantined(id: all ? nil : accept)
            struct View: Encodable { let applied: Int, conflicts: Int }
            try session.emit(View(applied: summary.applied, conflicts: summary.conflicts)) { "Applied \(Counted.phrase(summary.applied, "quarantined change"))." }
            return
        }
        let quarantine = try session.acting.quarantined()
        struct View: Encodable { let id: String, origin: String, stamped: String, received_from: String }
        try session.emit(["quarantine": quarantine.map { View(id: $0.id, origin: $0.origin, stamped: Instant.iso($0.hlc.physical), received_from: $0.receivedFrom) }]) {
            guard !quarantine.isEmpty else { return "Nothing in quarantine." }
            let times = try session.times()
            var table = TextTable("ID", "ORIGIN", "STAMPED", "FROM")
            for q in quarantine { table.add(String(q.id.prefix(12)), q.origin, times.local(q.hlc.physical), q.receivedFrom) }
            return table.render()
        }
    }
}
