import ArgumentParser
import Models
import Storage
import Sync

struct SyncStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Per peer: what was sent and acknowledged; what is quarantined.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let status = try session.acting.syncStatus()
        struct PeerView: Encodable {
            let site: String, sent: [String: Int64], acknowledged: [String: Int64], last_export: String?, last_import: String?
            let exported_changes: Int, imported_changes: Int, unacknowledged_changes: Int
        }
        struct QuarantineView: Encodable { let id: String, origin: String, hlc: String, stamped: String, received_from: String }
        struct View: Encodable {
            let site: String, hlc: String, changes: Int, vector: [String: Int64], peers: [PeerView], quarantine: [QuarantineView]
            let pending_rows: Int, open_conflicts: Int
        }
        let view = View(site: status.site, hlc: status.hlc.description, changes: status.changes, vector: status.vector,
                        peers: status.peers.map {
                            PeerView(site: $0.code, sent: $0.sent, acknowledged: $0.acked, last_export: $0.lastExport.map(Instant.iso),
                                     last_import: $0.lastImport.map(Instant.iso), exported_changes: $0.exported, imported_changes: $0.imported,
                                     unacknowledged_changes: $0.unacknowledged)
                        },
                        quarantine: status.quarantine.map {
                            QuarantineView(id: $0.id, origin: $0.origin, hlc: $0.hlc.description, stamped: Instant.iso($0.hlc.physical), received_from: $0.receivedFrom)
                        },
                        pending_rows: status.pending, open_conflicts: status.openConflicts)
        let times = try session.times()
        func shown(_ millis: Int64?) -> String { millis.map(times.local) ?? "never" }
        try session.emit(view) {
            var text = "Site \(view.site) · clock at \(times.local(status.hlc.physical)) · \(view.changes) changes · \(view.open_conflicts) open conflict\(view.open_conflicts == 1 ? "" : "s")"
            if view.pending_rows > 0 { text += " · \(view.pending_rows) rows waiting for references" }
            var peers = TextTable("PEER", "LAST EXPORT", "LAST IMPORT", "SENT", "RECEIVED", "NOT YET ACKNOWLEDGED")
            for (p, peer) in zip(view.peers, status.peers) {
                peers.add(p.site, shown(peer.lastExport), shown(peer.lastImport), String(p.exported_changes), String(p.imported_changes), String(p.unacknowledged_changes))
            }
            text += "\n" + (view.peers.isEmpty ? "No peers yet." : peers.render())
            if !view.quarantine.isEmpty {
                var table = TextTable("QUARANTINED", "ORIGIN", "STAMPED", "FROM")
                for (q, held) in zip(view.quarantine, status.quarantine) {
                    table.add(String(q.id.prefix(12)), q.origin, times.local(held.hlc.physical), q.received_from)
                }
                text += "\n" + table.render() + "\nThese are stamped more than 5 minutes in the future; 'clinic sync quarantine --accept ID' applies one now."
            }
            return text
        }
    }
}
