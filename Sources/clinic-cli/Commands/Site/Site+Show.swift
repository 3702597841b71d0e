import ArgumentParser
import Models
import Storage

extension SiteCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the site's code, name, time zone and counts.")
        @OptionGroup var global: GlobalOptions

        struct View: Encodable {
            let code: String, name: String, timezone: String, id: String, database: String
            let rooms: Int, staff: Int, services: Int, patients: Int
            let schema_version: Int
            /// True when `CLINIC_NOW` sets this database's clock (made by `demo` or `init --test-clock`).
            let test_clock: Bool
            /// The days from today on that the site is closed.
            let closures: [ClosureView]
        }

        func run() throws {
            let session = try global.open()
            let view = try session.acting.read(.siteShow, entity: "site") { db, _ in
                let site = try SiteRepository(db).local()
                let today = try SiteRepository(db).zone(of: site).local(session.now).date
                return View(code: site.code, name: site.name, timezone: site.timeZone, id: site.id, database: db.path,
                            rooms: try RoomRepository(db).all().count, staff: try StaffRepository(db).all().count,
                            services: try ServiceRepository(db).all().count, patients: try PatientRepository(db).count(),
                            schema_version: try db.schemaVersion(), test_clock: try LocalSettings(db).testClock(),
                            closures: try ClosureRepository(db).upcoming(siteID: site.id, from: today).map(ClosureView.init))
            }
            try session.emit(view) {
                """
                Site       \(view.code) — \(view.name)
                Time zone  \(view.timezone)
                Database   \(view.database) (schema \(view.schema_version))
                Clock      \(view.test_clock ? "test clock: $CLINIC_NOW sets it (made by 'clinic demo' or 'clinic init --test-clock')" : "system clock; CLINIC_NOW is ignored")
                Rooms \(view.rooms) · Staff \(view.staff) · Services \(view.services) · Patients \(view.patients)
                """ + (view.closures.isEmpty ? "" : "\nClosed     " + view.closures.map(\.text).joined(separator: "\n           "))
            }
        }
    }
}
