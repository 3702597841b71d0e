import ArgumentParser
import Models
import Storage

/// `clinic search`: full text over the notes the actor may read.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search note text, amendments and recorded points and muscles (accents and case ignored), best matches first.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to look for, e.g. \"lateral epicondyle\", LI4; a word ending in * matches as a prefix (trap*).") var text: String
    @Option(help: "Most hits to list.") var limit = 20

    func run() throws {
        let session = try global.open()
        let hits = try Notes(session.acting).search(text, limit: limit)
        struct View: Encodable { let note: String, patient: String, session_date: String, source: String, snippet: String }
        try session.emit(["results": hits.map { View(note: $0.noteID, patient: $0.patientChart, session_date: $0.sessionDate, source: $0.source, snippet: $0.snippet) }]) {
            guard !hits.isEmpty else { return "No note matches." }
            var table = TextTable("NOTE", "PATIENT", "DATE", "IN", "SNIPPET")
            // A snippet is one line of the table: the note's line breaks read as spaces.
            for h in hits {
                table.add(IDSuffix.short(h.noteID), h.patientChart, h.sessionDate, h.source,
                          h.snippet.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " "))
            }
            return table.render()
        }
    }
}
