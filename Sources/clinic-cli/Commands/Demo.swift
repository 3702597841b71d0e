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
        try session.emit(summary) {
            """
            Demo clinic \(summary.site.code) — \(summary.site.name) (\(summary.site.timeZone)) created in \(global.databasePath)
            \(summary.staff) staff · \(summary.rooms) rooms · \(summary.services) services · \(summary.patients) patients · \(summary.appointments) appointments · \(summary.signedNotes) signed notes
            Try:  clinic --db \(global.databasePath) --as admin staff list
                  clinic --db \(global.databasePath) --as accueil patient find helene
                  clinic --db \(global.databasePath) --as accueil schedule --week \(try session.today())
                  clinic --db \(global.databasePath) --as lchen notes --patient MTL-000002
            """
        }
    }
}
