import ArgumentParser
import Models
import Storage

/// `clinic notes --patient`: the patient's sessions in order, as read before the next one.
struct NotesHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes", abstract: "A patient's sessions in order: points, needles, pain before → after, adverse events.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Chart number, e.g. MTL-000042.") var patient: String

    func run() throws {
        let session = try global.open()
        let notes = try Notes(session.acting).history(chart: patient)
        let views = try notes.map { try NoteView($0, db: session.db) }
        try session.emit(["notes": views]) {
            guard !views.isEmpty else { return "No session notes for \(patient.uppercased())." }
            var table = TextTable("DATE", "NOTE", "BY", "STATUS", "SITES", "NEEDLES", "PAIN", "ADVERSE")
            for v in views {
                let sites = v.needling.map { ($0.point ?? $0.muscle ?? "?") + ($0.estim != nil ? "⚡" : "") }.joined(separator: " ")
                let pain = (v.pain_before != nil || v.pain_after != nil) ? "\(v.pain_before.map(String.init) ?? "?")→\(v.pain_after.map(String.init) ?? "?")" : ""
                table.add(v.session_date, IDSuffix.short(v.id), v.author, v.status + (v.amendments.isEmpty ? "" : "+\(v.amendments.count)"),
                          sites, v.needling.isEmpty ? "" : "\(v.needles_inserted)/\(v.needles_removed)", pain,
                          v.adverse_events.map(\.kind).joined(separator: ", "))
            }
            return table.render()
        }
    }
}

/// `clinic search`: full text over the notes the actor may read.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search note text and amendments (accents and case ignored), best matches first.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for, e.g. \"lateral epicondyle\".") var text: String
    @Option(help: "Most hits to list.") var limit = 20

    func run() throws {
        let session = try global.open()
        let hits = try Notes(session.acting).search(text, limit: max(1, min(limit, 500)))
        struct View: Encodable { let note: String, patient: String, session_date: String, source: String, snippet: String }
        try session.emit(["results": hits.map { View(note: $0.noteID, patient: $0.patientChart, session_date: $0.sessionDate, source: $0.source, snippet: $0.snippet) }]) {
            guard !hits.isEmpty else { return "No note matches." }
            var table = TextTable("NOTE", "PATIENT", "DATE", "IN", "SNIPPET")
            for h in hits { table.add(IDSuffix.short(h.noteID), h.patientChart, h.sessionDate, h.source, h.snippet) }
            return table.render()
        }
    }
}

/// `clinic audit`: who read or changed what, and every refusal; append-only.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "List the audit log (newest last), for a patient or an actor.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries about this chart number.") var patient: String?
    @Option(help: "Only entries by this staff handle.") var actor: String?
    @Option(help: "Most entries to list.") var limit = 200

    func run() throws {
        let session = try global.open()
        let entries = try session.acting.auditEntries(patientChart: patient, actor: actor, limit: max(1, limit))
        let zone = try session.zone()
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
                table.add(String(v.seq), zone.format(e.at), v.actor, v.action, v.entity_id.map(IDSuffix.short) ?? v.entity, v.patient ?? "", v.outcome)
            }
            return table.render()
        }
    }
}
