import ArgumentParser
import Models
import Storage
import Sync

/// `clinic demo`: a ready site to explore, written all at once or not at all.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", 
        abstract: "Create a demo clinic (Montréal, America/Toronto): staff, rooms, services, patients, a week of bookings.",
        discussion: "Refuses a database that already holds a site, so running it twice never half-writes. The demo runs on a test clock: $CLINIC_NOW (ISO-8601) sets it.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open(create: true, makingTestClock: true)
        let summary = try DemoSite.create(in: session.db, now: session.now)
        _ = try SiteKeys.ensure(session.db)
        // A URL's `?` and `&` mean something to the shell: the lines to copy quote what needs it.
        let db = DemoView.shellWord(global.databasePath)
        try session.emit(DemoView(summary: summary, passphrase: DemoSite.passphrase)) {
            """
            Demo clinic \(summary.site.code) — \(summary.site.name) (\(summary.site.timeZone)) created in \(global.databasePath)
            \(summary.staff) staff · \(summary.rooms) rooms · \(summary.services) services · \(summary.patients) patients · \(summary.appointments) appointments · \(summary.signedNotes) signed notes
            Every staff member's passphrase is '\(DemoSite.passphrase)' (a demo only: anyone reading this can act as anyone).
            Try:  clinic --db \(db) login --as admin
                  clinic --db \(db) staff list
                  clinic --db \(db) --as accueil patient find helene
                  clinic --db \(db) --as accueil schedule --week \(try session.today())
                  clinic --db \(db) --as lchen notes --patient MTL-000002
            """
        }
    }
}

/// `demo --json`: what was made, and the staff's shared passphrase.
struct DemoView: Encodable {
    let summary: DemoSummary
    let passphrase: String

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(passphrase, forKey: .passphrase)
    }

    private enum Key: String, CodingKey { case passphrase }

    /// `text` as one shell word: as it is when it holds only safe characters, else in single quotes.
    static func shellWord(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@%+=,")
        if !text.isEmpty, text.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
