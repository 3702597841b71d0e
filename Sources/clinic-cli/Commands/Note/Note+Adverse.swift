import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct Adverse: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "adverse", abstract: "Record an adverse event of the session.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Kind: bleeding, bruising, pain, syncope, forgotten-needle, infection, pneumothorax, other.") var kind: AdverseEventKind
        @Option(help: "What happened and what was done.") var detail: String

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.adverse(note, kind: kind, detail: detail) } human: { _ in
                "Recorded adverse event: \(kind.rawValue)"
            }
        }
    }
}
