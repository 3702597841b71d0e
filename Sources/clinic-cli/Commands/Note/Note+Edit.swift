import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Write SOAP sections, pain (NPRS) and outcome measures of a draft.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Subjective: what the patient reports.") var subjective: String?
        @Option(help: "Objective: findings on examination.") var objective: String?
        @Option(help: "Assessment: the clinician's reasoning.") var assessment: String?
        @Option(help: "Plan: treatment and home exercise.") var plan: String?
        @Option(help: "Pain before treatment, NPRS 0–10.") var painBefore: Int?
        @Option(help: "Pain after treatment, NPRS 0–10.") var painAfter: Int?
        @Option(help: "Patient-Specific Functional Scale, 0–10.") var psfs: Double?
        @Option(help: "Neck Disability Index, 0–50.") var ndi: Int?
        @Option(help: "Oswestry Disability Index, 0–100 (%).") var odi: Int?

        func run() throws {
            var edit = Notes.Edit()
            for (section, value) in [(SOAPSection.subjective, subjective), (.objective, objective), (.assessment, assessment), (.plan, plan)] {
                if let value { edit.sections[section] = value }
            }
            edit.painBefore = painBefore
            edit.painAfter = painAfter
            edit.psfs = psfs
            edit.ndi = ndi
            edit.odi = odi
            guard !edit.isEmpty else { throw ValidationError("nothing to change: give at least one section or measure") }
            try NoteOutput.run(global) { notes in try notes.edit(note, edit) } human: { view in "Updated note \(IDSuffix.short(view.id))" }
        }
    }
}
