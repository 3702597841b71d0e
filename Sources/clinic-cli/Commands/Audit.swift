import ArgumentParser
import Models
import Storage

/// `clinic audit`: who read or changed what, and every refusal; append-only.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "List the audit log (newest last), for a patient or an actor.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var chart: OptionalChartArgument
    var patient: String? { chart.value }
    @Option(name: .customLong("with"), help: ArgumentHelp("Only entries by this staff handle.", valueName: "handle"), completion: Completions.handles) var with: String?
    @Option(name: .customLong("actor"), help: .hidden) var actorAlias: String?
    var actor: String? { with ?? actorAlias }
    @Option(help: "Most entries to list.") var limit = 200

    func run() throws {
        let session = try global.open()
        let entries = try session.acting.auditEntries(patientChart: patient, actor: actor, limit: limit)
        let times = try session.times()
        struct View: Encodable {
            let seq: Int64, at: String, actor: String, action: String, entity: String, entity_id: String?, target: String, patient: String?
            let outcome: String
        }
        let patients = PatientRepository(session.db)
        let views = try entries.map {
            View(seq: $0.seq, at: Instant.iso($0.at), actor: $0.actor, action: $0.action, entity: $0.entity, entity_id: $0.entityID,
                 target: $0.entityID ?? $0.entity, patient: try $0.patientID.flatMap { try patients.byID($0)?.chart }, outcome: $0.outcome)
        }
        try session.emit(["entries": views]) {
            var table = TextTable("#", "WHEN", "ACTOR", "ACTION", "ON", "PATIENT", "OUTCOME")
            for (v, e) in zip(views, entries) {
                table.add(String(v.seq), times.local(e.at), v.actor, v.action, v.entity_id.map(IDSuffix.short) ?? v.entity, v.patient ?? "", v.outcome)
            }
            return table.render()
        }
    }
}
