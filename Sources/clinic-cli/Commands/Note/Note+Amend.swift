import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "amend", abstract: "Add a dated amendment to a signed note, signed with your own key (asks for your passphrase again).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "The amendment's text.") var text: String

        func run() throws {
            let handle = global.actorHandle
            try NoteOutput.run(global) { notes in
                try notes.amend(note, with: text, passphrase: { try PassphraseInput.existing(for: handle) })
            } human: { view in
                "Amended note \(IDSuffix.short(view.id)) (\(view.amendments.count) amendment\(view.amendments.count == 1 ? "" : "s"))"
            }
        }
    }
}
