import ArgumentParser
import Models
import Storage

extension NoteCommand {
    struct NeedlesRemoved: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "needles-removed", abstract: "Set the total of needles removed (not an increment).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Note id or its last 8+ hex digits.") var note: String
        @Option(help: "Needles removed in total.") var count: Int

        func run() throws {
            try NoteOutput.run(global) { notes in try notes.needlesRemoved(note, count: count) } human: { view in
                "Needles: \(view.needles_inserted) in, \(view.needles_removed) out" + (view.needles_inserted == view.needles_removed ? " — all accounted for" : " — MISMATCH")
            }
        }
    }
}
