import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start",
            abstract: "Start the draft note of one of your appointments (the patient's precautions and consents are shown on stderr).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String

        func run() throws {
            let session = try global.open()
            let (note, clinical) = try Notes(session.acting).started(appointment: appointment)
            let view = try NoteView(note, db: session.db, times: try session.times())
            if !global.json {
                StandardError.write(TerminalText.escaped(Self.warning(clinical, chart: view.patient), keepingLayout: true))
            }
            try session.emit(StartedNoteView(note: view, clinical: clinical)) {
                "Started draft note \(view.id) for \(view.patient) (\(view.session_date))"
            }
        }

        /// What to keep in mind before needling, on stderr so stdout stays the note id line.
        static func warning(_ clinical: ClinicalSummary, chart: String) -> String {
            let precautions = clinical.precautions.isEmpty
                ? "no active precautions for \(chart)"
                : "warning: precautions for \(chart): \(clinical.precautions.map(\.code).joined(separator: ", "))"
            let consents = clinical.consents.isEmpty
                ? "warning: no consent on file for \(chart)"
                : "consents: " + clinical.consents.map(\.text).joined(separator: "; ")
            return precautions + "\n" + consents
        }
    }
}

/// `note start --json`: the note, then the patient's active `precautions` (codes) and `consents`.
struct StartedNoteView: Encodable {
    let note: NoteView
    let clinical: ClinicalSummary

    enum CodingKeys: String, CodingKey { case precautions, consents }

    func encode(to encoder: any Encoder) throws {
        try note.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clinical.precautions.map(\.code), forKey: .precautions)
        try container.encode(clinical.consents.map(ConsentStandingView.init), forKey: .consents)
    }
}
