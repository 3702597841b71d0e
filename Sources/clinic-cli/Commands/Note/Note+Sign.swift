import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sign", 
            abstract: "Sign and lock a note with your own key: checks consent, needle counts, scope and contraindications.",
            discussion: "Signing asks for your passphrase again, even inside a session (a prompt on a terminal; $CLINIC_PASSPHRASE in scripts).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(name: .customLong("acknowledge"), help: "A contraindication rule you have considered, as the refusal lists it (e.g. pregnancy:LI4); repeatable.")
        var acknowledged: [String] = []

        func run() throws {
            let handle = global.actorHandle
            try NoteOutput.run(global) { notes in
                try notes.sign(note, acknowledge: Set(acknowledged), passphrase: { try PassphraseInput.existing(for: handle) })
            } human: { view in
                "Signed note \(IDSuffix.short(view.id)); SHA-256 \(view.hash ?? "")"
            }
        }
    }
}
