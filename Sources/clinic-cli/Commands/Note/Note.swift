import ArgumentParser
import Models
import Storage

/// `clinic note`: the session note of one appointment, from draft to signature.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Write, check, sign and amend session notes (SOAP, needling, adverse events).",
        subcommands: [Start.self, Edit.self, Needle.self, NeedlesRemoved.self, Adverse.self, Sign.self, Amend.self, Show.self])
}

/// The shared body of note commands: open, act as `--as`, print the note.
enum NoteOutput {
    static func run(_ global: GlobalOptions, _ body: (Notes) throws -> NoteRecord, human: (NoteView) -> String) throws {
        let session = try global.open()
        let note = try body(Notes(session.acting))
        let view = try NoteView(note, db: session.db, times: try session.times())
        try session.emit(view) { human(view) }
    }
}

extension NeedleSide: ExpressibleByArgument {}
extension NeedlingTechnique: ExpressibleByArgument {}
extension AdverseEventKind: ExpressibleByArgument {}
