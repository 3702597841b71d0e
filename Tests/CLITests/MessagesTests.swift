import Foundation
import Testing

/// Issue 27, "messages that help" and "conventions": what a user reads when they typed something wrong,
/// `--version`, the top-level help, the chart given either way, completion from the database.
@Suite("Messages and conventions")
struct MessagesTests {
    @Test("an invalid choice shows the value typed and the values allowed, with exit 64")
    func invalidChoice() throws {
        let clinic = try schedulingSite()
        let result = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30",
                                     "--at", "2026-12-01 09:00", "--repeat", "monthly", "--count", "2"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("'monthly' is not a valid --repeat; use daily, weekly or every-2-weeks"), "\(result.stderr)")
        let discipline = try clinic.run(["staff", "add", "kim", "--name", "Kim", "--discipline", "physiotherapie", "--json"])
        #expect(discipline.status == 64)
        #expect(jsonError(discipline.stderr)?.message.contains("'physiotherapie' is not a valid --discipline; use physiotherapy, acupuncture, osteopathy, kinesiology or occupational-therapy (did you mean 'physiotherapy'?)") == true,
                "\(discipline.stderr)")
    }

    @Test("malformed dates, times and durations are shown back; a date of birth never is")
    func malformedValues() throws {
        let clinic = try schedulingSite()
        let date = try clinic.run(["schedule", "--date", "2026-13-01", "--json"])
        #expect(date.status == 64)
        #expect(jsonError(date.stderr)?.message.contains("(got '2026-13-01')") == true, "\(date.stderr)")
        let time = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30", "--at", "tomorrow 9", "--json"])
        #expect(time.status == 64)
        #expect(jsonError(time.stderr)?.message.contains("(got 'tomorrow 9')") == true, "\(time.stderr)")
        let duration = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30",
                                       "--at", "2026-12-01 09:00", "--duration", "3x", "--json"])
        #expect(duration.status == 64)
        #expect(jsonError(duration.stderr)?.message.contains("(got '3x')") == true, "\(duration.stderr)")
        for arguments in [["patient", "add", "--first", "Ana", "--last", "Lima", "--dob", "1980-13-02"],
                          ["patient", "edit", "MTL-000001", "--dob", "1980-13-02"]] {
            let birth = try clinic.run(arguments + ["--as", "desk"])
            #expect(birth.status == 64)
            #expect(!birth.stderr.contains("1980-13-02"), "\(birth.stderr)")
        }
    }

    @Test("an unknown command gets the nearest command, at the top and below it")
    func unknownCommand() throws {
        let clinic = try schedulingSite()
        let top = try clinic.run(["bok"])
        #expect(top.status == 64)
        #expect(top.stderr.contains("unknown command 'clinic bok'; did you mean 'book'?"), "\(top.stderr)")
        let below = try clinic.run(["patient", "shw", "MTL-000001"])
        #expect(below.status == 64)
        #expect(below.stderr.contains("did you mean 'show'?"), "\(below.stderr)")
        // A word that reads like a name is not repeated.
        let name = try clinic.run(["Maria Silva"])
        #expect(name.status == 64)
        #expect(!name.stderr.contains("Maria"), "\(name.stderr)")
    }

    @Test("services, handles and rooms not found get a did you mean", arguments: [
        (["--service", "dn30", "--with", "jdoe", "--room", "Bed 1"], "service 'dn30' not found; did you mean 'dn-30'?"),
        (["--service", "dn-30", "--with", "jdo", "--room", "Bed 1"], "staff member 'jdo' not found; did you mean 'jdoe'?"),
        (["--service", "dn-30", "--with", "jdoe", "--room", "Bedd 1"], "room 'Bedd 1' not found; did you mean 'Bed 1'?"),
    ])
    func didYouMean(arguments: [String], message: String) throws {
        let clinic = try schedulingSite()
        let result = try clinic.run(["book", "--patient", "MTL-000001", "--at", "2026-12-01 09:00", "--json"] + arguments)
        #expect(result.status == 1)
        #expect(result.errorCode == "not-found")
        #expect(jsonError(result.stderr)?.message == message, "\(result.stderr)")
    }

    @Test("a missing database is named by its path")
    func missingDatabaseNamed() throws {
        let sandbox = CLISandbox()
        let path = sandbox.directory.appendingPathComponent("nowhere.sqlite").path
        let result = sandbox.runClinic(["whoami", "--db", path], database: false)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("no clinic database at \(path)"), "\(result.stderr)")
    }

    @Test("clinic --version prints the release and the newest schema")
    func version() throws {
        let sandbox = CLISandbox()
        let result = sandbox.runClinic(["--version"], database: false)
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^clinic \d+\.\d+\.\d+ \(schema \d+\)\n?$"#, options: .regularExpression) != nil, "\(result.stdout)")
    }

    @Test("clinic --help lists the global options, the environment, the exit codes and examples")
    func topLevelHelp() throws {
        let sandbox = CLISandbox()
        let help = sandbox.runClinic(["--help"], database: false).stdout
        for text in ["--db <path>", "--as <handle>", "--json", "--version", "CLINIC_DB", "CLINIC_ACTOR", "CLINIC_PASSPHRASE",
                     "CLINIC_NOW", "COLUMNS", "PAGER", "NO_COLOR", "EXIT CODES", "64  wrong on the command line", "74  database",
                     "EXAMPLES", "clinic schedule --date"] {
            #expect(help.contains(text), "missing \(text)")
        }
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(help)")
    }

    @Test("a chart is accepted positional or as --patient wherever a command takes one")
    func chartEitherWay() throws {
        let clinic = try schedulingSite()
        #expect(try clinic.ok(["patient", "show", "--patient", "MTL-000001"])["chart"] as? String == "MTL-000001")
        #expect(try clinic.ok(["patient", "show", "MTL-000001"])["chart"] as? String == "MTL-000001")
        try clinic.ok(["appointments", "MTL-000001"])
        try clinic.ok(["appointments", "--patient", "MTL-000001"])
        let neither = try clinic.run(["patient", "show"])
        #expect(neither.status == 64)
        let twoCharts = try clinic.run(["patient", "show", "MTL-000001", "--patient", "MTL-000002"])
        #expect(twoCharts.status == 64)
        // Commands whose chart is optional take it either way too.
        #expect((try clinic.ok(["audit", "MTL-000001"])["entries"] as? [[String: Any]])?.allSatisfy { $0["patient"] as? String == "MTL-000001" } == true)
        #expect(try clinic.run(["notes", "MTL-000001", "--as", "jdoe", "--json"]).status == 0)
        #expect(try clinic.run(["notes", "--patient", "MTL-000001", "--as", "jdoe", "--json"]).status == 0)
        #expect(try clinic.run(["notes", "MTL-000001", "--patient", "MTL-000002", "--as", "jdoe"]).status == 64)
        #expect(try clinic.run(["export", "fhir", "MTL-000001", "--to", "-", "--as", "jdoe"]).stdout.contains("\"resourceType\":\"Bundle\""))
    }

    @Test("audit takes --with for the member, --actor still works")
    func auditWith() throws {
        let clinic = try schedulingSite()
        let with = try clinic.ok(["audit", "--with", "admin"])["entries"] as? [[String: Any]] ?? []
        let actor = try clinic.ok(["audit", "--actor", "admin"])["entries"] as? [[String: Any]] ?? []
        #expect(!with.isEmpty)
        #expect(with.allSatisfy { $0["actor"] as? String == "admin" })
        #expect(with.count <= actor.count)
    }

    @Test("completion offers handles, services and rooms with an open session, nothing without, and is not audited")
    func completion() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        #expect(sandbox.runClinic(["room", "add", "Bed 1", "--as", "admin"]).status == 0)
        #expect(sandbox.runClinic(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy", "--as", "admin"]).status == 0)
        #expect(sandbox.runClinic(["service", "add", "dn-30", "--name", "Dry needling", "--duration", "30m", "--discipline", "physiotherapy",
                                   "--as", "admin"]).status == 0)
        let noSession = ["XDG_STATE_HOME": sandbox.directory.appendingPathComponent("no-sessions").path]
        let without = sandbox.runClinic(["---completion", "book", "--", "--with", "0", "0"], env: noSession)
        #expect(without.status == 0)
        #expect(without.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(without.stdout)")
        #expect(sandbox.runClinic(["login", "--as", "admin"]).status == 0)
        let entries = { (text: String) in (jsonObject(text)?["entries"] as? [[String: Any]] ?? []).count }
        let first = entries(sandbox.runClinic(["audit", "--as", "admin", "--json"]).stdout)
        let audited = entries(sandbox.runClinic(["audit", "--as", "admin", "--json"]).stdout)
        // `book --with` offers who can be booked (clinicians); `audit --with` every member.
        let handles = sandbox.runClinic(["---completion", "book", "--", "--with", "0", "0"])
        #expect(handles.stdout.split(separator: "\n") == ["jdoe"], "\(handles.stdout) \(handles.stderr)")
        let everyone = sandbox.runClinic(["---completion", "audit", "--", "--with", "0", "0"])
        #expect(Set(everyone.stdout.split(separator: "\n")) == ["admin", "jdoe"], "\(everyone.stdout) \(everyone.stderr)")
        // The word being completed comes last, as a shell passes it.
        let services = sandbox.runClinic(["---completion", "slots", "--", "--service", "2", "1", "--db", sandbox.databasePath, "d"], database: false)
        #expect(services.stdout.split(separator: "\n") == ["dn-30"], "\(services.stdout)")
        let rooms = sandbox.runClinic(["---completion", "schedule", "--", "--room", "0", "0"])
        #expect(rooms.stdout.split(separator: "\n") == ["Bed 1"], "\(rooms.stdout)")
        // Nothing was audited by completing: the log grew by what one read of it adds, as between the two reads before.
        let after = entries(sandbox.runClinic(["audit", "--as", "admin", "--json"]).stdout)
        #expect(after - audited == audited - first, "completion wrote to the audit log")
        let script = sandbox.runClinic(["--generate-completion-script", "bash"], database: false)
        #expect(script.status == 0)
        #expect(script.stdout.contains("---completion book -- --with"))
    }

    /// `swift package plugin generate-manual` reads the binary's own description of its commands; this is
    /// that description, so the man page it makes lists every command and the top-level help.
    @Test("the command description the man page is generated from lists every command and the top-level help")
    func manualSource() throws {
        let sandbox = CLISandbox()
        let dump = sandbox.runClinic(["--experimental-dump-help"], database: false)
        #expect(dump.status == 0)
        let command = try #require(jsonObject(dump.stdout)?["command"] as? [String: Any])
        #expect(command["commandName"] as? String == "clinic")
        #expect((command["discussion"] as? String)?.contains("EXIT CODES") == true)
        let names = (command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
        for name in ["book", "schedule", "patient", "note", "sync", "appointments"] { #expect(names.contains(name), "\(name)") }
    }

    @Test("a malformed or unknown appointment id is named, with its article right")
    func appointmentIDs() throws {
        let clinic = try schedulingSite()
        let malformed = try clinic.run(["checkin", "xyz", "--json"])
        #expect(malformed.status == 64)
        #expect(jsonError(malformed.stderr)?.message.hasPrefix("an appointment is named by its id") == true, "\(malformed.stderr)")
        let unknown = try clinic.run(["checkin", "deadbeef", "--json"])
        #expect(unknown.status == 1)
        #expect(jsonError(unknown.stderr)?.message == "appointment deadbeef not found", "\(unknown.stderr)")
    }
}

