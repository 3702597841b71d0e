import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the draft note of one of your appointments.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.start(appointment: appointment) } human: { view in
                "Started draft note \(view.id) for \(view.patient) (\(view.session_date))"
            }
        }
    }
}
