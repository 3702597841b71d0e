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
        let times = try session.times()
        let views = try notes.map { try NoteView($0, db: session.db, times: times) }
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
