import ArgumentParser
import Models
import Storage
import Sync

/// `clinic init`: creates the site's database with its first admin.
struct Initialise: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create this site's database: its code, name, time zone and first admin.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Site code that prefixes chart numbers, e.g. MTL.", valueName: "code"))
    var siteCode: String

    @Option(help: ArgumentHelp("The site's name as staff know it, e.g. \"Montréal\".", valueName: "name"))
    var siteName: String

    @Option(help: ArgumentHelp("IANA time zone of the site, e.g. America/Toronto.", valueName: "zone"))
    var timezone: String

    @Option(help: ArgumentHelp("Handle of the first admin (no default: sites never share one).", valueName: "handle"))
    var admin: String

    @Option(help: ArgumentHelp("Full name of the first admin.", valueName: "name"))
    var adminName: String

    @Option(help: ArgumentHelp("File whose first line is the admin's passphrase (at least 8 characters). Else a prompt on a terminal, else $CLINIC_PASSPHRASE.", valueName: "file"))
    var passphraseFile: String?

    @Flag(help: "A database for tests and trials: $CLINIC_NOW (ISO-8601) sets its clock. Never for real patients: anybody could backdate a record.")
    var testClock = false

    func run() throws {
        try Site.validate(code: siteCode, name: siteName, timeZone: timezone)
        try Practitioner.validate(handle: admin)
        let passphrase = try PassphraseInput.requireNew(file: passphraseFile, what: admin, environmentAllowed: true)
        try PassphrasePolicy.validate(passphrase, handle: admin)
        let session = try global.open(create: true, makingTestClock: testClock)
        let site = try SiteRepository(session.db).initialise(code: siteCode, name: siteName, timeZone: timezone, admin: admin,
                                                            adminName: adminName, adminPassphrase: passphrase, testClock: testClock,
                                                            now: session.now)
        _ = try SiteKeys.ensure(session.db)
        try session.emit(SiteView(site: site, database: global.databasePath, testClock: testClock)) {
            "Created site \(site.code) (\(site.name), \(site.timeZone)) with admin '\(admin)' in \(global.databasePath)"
                + (testClock ? "\nTest clock: $CLINIC_NOW sets this database's clock" : "")
        }
    }
}

/// A site as `init` and `site show` print it.
struct SiteView: Encodable {
    let code: String
    let name: String
    let timezone: String
    let id: String
    let database: String
    /// True when `CLINIC_NOW` sets this database's clock (made by `demo` or `init --test-clock`).
    let test_clock: Bool

    init(site: Site, database: String, testClock: Bool) {
        code = site.code
        name = site.name
        timezone = site.timeZone
        id = site.id
        self.database = database
        test_clock = testClock
    }
}
