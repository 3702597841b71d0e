import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a note: who signed it, when, with which key, and whether the signature verifies.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.show(note) } human: { view in view.text() }
        }
    }
}
