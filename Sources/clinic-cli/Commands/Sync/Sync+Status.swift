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
        let here = try SiteTimeZone(status.zone)
        struct PeerView: Encodable {
            let site: String, sent: [String: Int64], acknowledged: [String: Int64], last_export: String?, last_import: String?
            let exported_changes: Int, imported_changes: Int, unacknowledged_changes: Int
        }
        struct QuarantineView: Encodable { let id: String, origin: String, hlc: String, stamped: String, received_from: String }
        struct CancelledView: Encodable { let id: String, start: String, local_start: String, site: String, patient: String, practitioner: String, room: String }
        struct View: Encodable {
            let site: String, hlc: String, changes: Int, vector: [String: Int64], peers: [PeerView], quarantine: [QuarantineView]
            let pending_rows: Int, open_conflicts: Int
            let cancelled_by_resolution: Int, cancelled_by_resolution_appointments: [CancelledView]
        }
        let cancelled = try status.cancelledByResolution.map {
            CancelledView(id: $0.id, start: Instant.iso($0.appointment.span.start),
                          local_start: try SiteTimeZone($0.siteTimeZone).format($0.appointment.span.start), site: $0.siteCode,
                          patient: $0.patientChart, practitioner: $0.practitionerHandle, room: $0.roomName)
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
                        pending_rows: status.pending, open_conflicts: status.openConflicts,
                        cancelled_by_resolution: cancelled.count, cancelled_by_resolution_appointments: cancelled)
        let times = try session.times()
        func shown(_ millis: Int64?) -> String { millis.map(times.local) ?? "never" }
        try session.emit(view) {
            // People read times in this site's zone (another site's stamp in that site's, labelled), never raw clock values.
            var text = "Site \(view.site) · clock at \(times.local(status.hlc.physical)) · \(view.changes) changes · "
                + "\(view.open_conflicts) open conflict\(view.open_conflicts == 1 ? "" : "s")"
            if view.pending_rows > 0 { text += " · \(view.pending_rows) rows waiting for references" }
            if !cancelled.isEmpty {
                text += "\n\(cancelled.count) booking\(cancelled.count == 1 ? "" : "s") here cancelled by a conflict resolution since the last look:"
                var table = TextTable("ID", "WHEN", "PATIENT", "WITH", "ROOM")
                for c in cancelled { table.add(IDSuffix.short(c.id), c.local_start, c.patient, c.practitioner, c.room) }
                text += "\n" + table.render()
            }
            var peers = TextTable("PEER", "LAST EXPORT", "LAST IMPORT", "SENT", "RECEIVED", "NOT YET ACKNOWLEDGED")
            for (p, peer) in zip(view.peers, status.peers) {
                peers.add(p.site, shown(peer.lastExport), shown(peer.lastImport), String(p.exported_changes), String(p.imported_changes), String(p.unacknowledged_changes))
            }
            text += "\n" + (view.peers.isEmpty ? "No peers yet." : peers.render())
            if !status.quarantine.isEmpty {
                var table = TextTable("QUARANTINED", "ORIGIN", "STAMPED", "FROM")
                for q in status.quarantine {
                    let zone = (try? q.originZone.map(SiteTimeZone.init)) ?? nil
                    let stamped = zone.map { $0.label(q.hlc.physical, site: q.origin, isLocal: q.origin == status.site, here: here) }
                        ?? Instant.iso(q.hlc.physical)
                    table.add(String(q.id.prefix(12)), q.origin, stamped, q.receivedFrom)
                }
                text += "\n" + table.render() + "\nThese are stamped more than 5 minutes in the future; 'clinic sync quarantine --accept ID' applies one now."
            }
            return text
        }
    }
}
