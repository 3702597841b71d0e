import ArgumentParser
import Foundation
import Models
import Storage

/// The options every command takes: which database, who is acting, and machine output. The root command
/// `Clinic` parses them; every leaf names this group too, so its `--help` lists them, and receives the root's value.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Database file (SQLite), or a PostgreSQL URL: postgresql://user@host:port/dbname?sslmode=require (the password from PGPASSWORD or ~/.pgpass, never the URL). Default: $CLINIC_DB, else $XDG_DATA_HOME/clinic/clinic.sqlite (~/.local/share/clinic/clinic.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Acting staff handle, proven by their open session (clinic login) or passphrase (a prompt; $CLINIC_PASSPHRASE when stdin is not a terminal). Default: $CLINIC_ACTOR, else the only open session for this database.", valueName: "handle"))
    var actor: String?

    @Flag(name: .long, help: "Print one JSON document on stdout; errors as JSON on stderr.")
    var json = false

    /// The database path from `--db`, `$CLINIC_DB` or the XDG default.
    var databasePath: String {
        let environment = ProcessInfo.processInfo.environment
        if let db, !db.isEmpty { return db }
        if let path = environment["CLINIC_DB"], !path.isEmpty { return path }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("clinic/clinic.sqlite")
    }

    /// The acting handle from `--as` or `$CLINIC_ACTOR`, if any; an explicit `--as ""` names nobody.
    var actorHandle: String? {
        if let actor { return actor.isEmpty ? nil : actor }
        return ProcessInfo.processInfo.environment["CLINIC_ACTOR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the existing database (refusing a missing one) with the clock commands should use: `CLINIC_NOW`
    /// only in a database on the test clock, or one `makingTestClock` is about to create (`demo`,
    /// `init --test-clock`); elsewhere `CLINIC_NOW` is ignored with a one-line warning on stderr (not
    /// with `--json`, where stderr holds at most the one error document scripts parse).
    ///
    /// `proving` gives the passphrase when no session proves the actor: by default a prompt on a terminal,
    /// else `$CLINIC_PASSPHRASE`.
    func open(create: Bool = false, makingTestClock: Bool = false,
              proving: @escaping (String?) throws -> String? = { try PassphraseInput.existing(for: $0) }) throws -> Session {
        // A malformed CLINIC_NOW for a database about to run on it is refused before any file is made.
        if makingTestClock { _ = try ClinicClock.fromEnvironment() }
        // Under --json, stderr holds at most the one error document scripts parse: no warning lines.
        let quiet = json
        let database = try Database(location: DatabaseLocation(parsing: databasePath), create: create,
                                    warn: { if !quiet { StandardError.write($0) } })
        let testClock = try LocalSettings(database).testClock() || (makingTestClock && !SiteRepository(database).isInitialised())
        let (clock, ignoresOverride) = try ClinicClock.choose(testClock: testClock)
        if ignoresOverride, !json {
            StandardError.write("clinic: warning: CLINIC_NOW is ignored: this database was not made by 'clinic demo' or "
                                + "'clinic init --test-clock'; the system clock is used")
        }
        database.clock = clock
        let now = clock.nowMillis()
        let databaseID = try LocalSettings(database).databaseID()
        let handle = actorHandle
        // The handle's own session file first; then this database's others, since a member renamed after logging in
        // keeps their session under the old name. A session proves only its own member (its staff id must be the actor's).
        let own = SessionFiles.tokens(databaseID: databaseID, handle: handle)
        let tokens = handle == nil ? own : own + SessionFiles.tokens(databaseID: databaseID, handle: nil).filter { !own.contains($0) }
        let credentials = Credentials(sessionTokens: tokens,
                                      passphrase: { try proving(handle) })
        return Session(db: database, clock: clock, options: self, databaseID: databaseID,
                       acting: AuditedSession(db: database, handle: handle, credentials: credentials, now: now))
    }
}

/// What a command works with: an open database, the clock, and the global options.
struct Session {
    let db: Database
    let clock: ClinicClock
    let options: GlobalOptions
    /// Names this database in the workstation's session files.
    let databaseID: String
    /// The acting staff member named by `--as` or `$CLINIC_ACTOR` (else the only open session), as
    /// every use case takes it: the use case proves the actor (session or passphrase), checks the
    /// permission table and audits the attempt. One per command, so the actor is proven once.
    let acting: AuditedSession

    var now: Int64 { acting.now }

    /// Today's date in the site's zone.
    func today() throws -> CivilDate {
        try SiteRepository(db).zone().local(now).date
    }

    func zone() throws -> SiteTimeZone { try SiteRepository(db).zone() }

    /// The zone of the site `--site CODE` names (unknown → `not-found`), else this database's own:
    /// wall-clock input for another site is that site's wall clock.
    func zone(site code: String?) throws -> SiteTimeZone {
        let sites = SiteRepository(db)
        return try sites.zone(of: try sites.chosen(code))
    }

    /// Prints `value` as JSON with `--json`, else the human text (through `$PAGER` on a terminal
    /// when `paging` says it is long); on stderr when stdout carries something else (an export written with `--to -`).
    func emit<T: Encodable>(_ value: T, onStandardError: Bool = false, paging: Pager.When = .never, human: () throws -> String) throws {
        // JSON escapes control characters itself; human text is made safe for a terminal here, once for every
        // command, and drawn in ASCII where the locale or terminal cannot show box-drawing characters.
        let text = options.json ? try JSONOutput.string(value)
            : TerminalStyle.current().drawn(TerminalText.escaped(try human(), keepingLayout: true))
        guard !text.isEmpty else { return }
        if onStandardError {
            StandardError.write(text)
        } else if options.json || !Pager.page(text, when: paging) {
            print(text)
        }
    }
}
