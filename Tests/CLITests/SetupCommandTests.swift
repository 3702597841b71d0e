import Foundation
import Storage
import Testing

@Suite("clinic init, site, staff, room and service")
struct SetupCommandTests {
    @Test("init creates the site; site show --json describes it")
    func initThenShow() throws {
        let sandbox = CLISandbox()
        let created = sandbox.runClinic(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock", "--json"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(jsonObject(created.stdout)?["code"] as? String == "MTL")

        let shown = sandbox.runClinic(["site", "show", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let site = try #require(jsonObject(shown.stdout), "not JSON: \(shown.stdout)")
        #expect(site["code"] as? String == "MTL")
        #expect(site["name"] as? String == "Montréal")
        #expect(site["timezone"] as? String == "America/Toronto")
        #expect(site["staff"] as? Int == 1, "the first admin")
        #expect(site["patients"] as? Int == 0)
        #expect((site["schema_version"] as? Int ?? 0) >= 2)

        let plain = sandbox.runClinic(["site", "show"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("MTL"))
        #expect(plain.stdout.contains("America/Toronto"))
    }

    @Test("doctor passes a new site, and names an index the schema has and the database lacks")
    func doctorMissingIndex() throws {
        let sandbox = CLISandbox()
        #expect(sandbox.runClinic(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"]).status == 0)
        let healthy = sandbox.runClinic(["doctor", "--json"])
        #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")
        try Database(path: sandbox.databasePath, create: false).execute("DROP INDEX appointment_staff_start")
        let sick = sandbox.runClinic(["doctor", "--json"])
        #expect(sick.status == 1)
        let findings = try #require(jsonObject(sick.stdout)?["findings"] as? [[String: Any]], "\(sick.stdout)")
        let schema = try #require(findings.first { $0["code"] as? String == "schema" })
        #expect(schema["ok"] as? Bool == false)
        #expect((schema["message"] as? String ?? "").hasSuffix("missing index: appointment_staff_start"), "\(schema)")
        #expect(findings.filter { $0["ok"] as? Bool == false }.count == 1, "only the schema: \(findings)")
    }

    @Test("init names the first admin, who is listed as staff")
    func initAdmin() throws {
        let sandbox = CLISandbox()
        let created = sandbox.runClinic(["init", "--site-code", "QC2", "--site-name", "Québec", "--timezone", "America/Toronto",
                                         "--admin", "nbergeron", "--test-clock"])
        #expect(created.status == 0, "\(created.stderr)")
        let staff = sandbox.runClinic(["staff", "list", "--json", "--as", "nbergeron"])
        let members = try #require(jsonObject(staff.stdout)?["staff"] as? [[String: Any]])
        #expect(members.map { $0["handle"] as? String } == ["nbergeron"])
        #expect(members.first?["role"] as? String == "admin")
    }

    @Test("init with an unknown time zone exits 64 and creates nothing", arguments: ["Mars/Olympus", "Toronto", "America/Toront"])
    func initUnknownZone(zone: String) {
        let sandbox = CLISandbox()
        let result = sandbox.runClinic(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", zone, "--json"])
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == "invalid-timezone")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))

        // No database file, so site show cannot open one: an I/O failure (74), not a rule refusal.
        let shown = sandbox.runClinic(["site", "show", "--json"])
        #expect(shown.status == 74)
        #expect(jsonError(shown.stderr)?.code == "not-initialised")
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))
    }

    @Test("init refuses bad site codes and names before touching the disk", arguments: [
        (["--site-code", "mtl", "--site-name", "Montréal"], "invalid-site-code"),
        (["--site-code", "M", "--site-name", "Montréal"], "invalid-site-code"),
        (["--site-code", "MTL", "--site-name", "  "], "invalid-name"),
        (["--site-code", "MTL", "--site-name", "Montréal", "--admin", "Not A Handle"], "invalid-handle"),
    ])
    func initBadFields(arguments: [String], code: String) {
        let sandbox = CLISandbox()
        let result = sandbox.runClinic(["init", "--timezone", "America/Toronto", "--json"] + arguments)
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == code)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))
    }

    @Test("a second init is refused and the site is unchanged")
    func initTwice() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let again = sandbox.runClinic(["init", "--site-code", "QC", "--site-name", "Québec", "--timezone", "Europe/Paris", "--json"])
        #expect(again.status == 1)
        #expect(jsonError(again.stderr)?.code == "already-initialised")
        let site = jsonObject(sandbox.runClinic(["site", "show", "--json"]).stdout)
        #expect(site?["code"] as? String == "MTL")
        #expect(site?["timezone"] as? String == "America/Toronto")
        #expect(site?["staff"] as? Int == 1)
    }

    @Test("the database file is private to its owner")
    func databaseFileMode() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.databasePath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("a database from a newer clinic exits 74 schema-too-new")
    func schemaTooNew() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["sqlite3", sandbox.databasePath, "PRAGMA user_version = 99;"]
        sqlite.standardOutput = FileHandle.nullDevice
        sqlite.standardError = FileHandle.nullDevice
        do {
            try sqlite.run()
            sqlite.waitUntilExit()
        } catch {
            sqlite.terminate()
        }
        try #require(sqlite.terminationReason == .exit && sqlite.terminationStatus == 0, "the sqlite3 shell is needed to set user_version")
        let shown = sandbox.runClinic(["site", "show", "--json"])
        #expect(shown.status == 74)
        #expect(jsonError(shown.stderr)?.code == "schema-too-new")
    }

    @Test("a duplicate staff handle exits 1 with a JSON duplicate error and writes nothing")
    func duplicateStaff() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let first = sandbox.runClinic(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(jsonObject(first.stdout)?["handle"] as? String == "jdoe")
        let staffBefore = sandbox.siteCount("staff")
        #expect(staffBefore == 2)

        let second = sandbox.runClinic(["staff", "add", "jdoe", "--name", "John Doe", "--discipline", "osteopathy", "--json"])
        #expect(second.status == 1)
        #expect(second.stdout.isEmpty)
        let error = try #require(jsonError(second.stderr), "stderr is not a JSON error: \(second.stderr)")
        #expect(error.code == "duplicate")
        #expect(!error.message.isEmpty)
        #expect(sandbox.siteCount("staff") == staffBefore)
        let list = jsonObject(sandbox.runClinic(["staff", "list", "--json"]).stdout)?["staff"] as? [[String: Any]]
        let jdoe = list?.first { $0["handle"] as? String == "jdoe" }
        #expect(jdoe?["name"] as? String == "Jane Doe")
        #expect(jdoe?["discipline"] as? String == "physiotherapy")

        let plain = sandbox.runClinic(["staff", "add", "jdoe", "--name", "John Doe", "--discipline", "osteopathy"])
        #expect(plain.status == 1)
        #expect(plain.stderr.contains("[duplicate]"))
    }

    @Test("a clinician needs a discipline (64)")
    func clinicianNeedsDiscipline() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let result = sandbox.runClinic(["staff", "add", "jdoe", "--name", "Jane Doe", "--json"])
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == "discipline-required")
        let frontDesk = sandbox.runClinic(["staff", "add", "accueil", "--name", "Sophie Gagnon", "--role", "front-desk"])
        #expect(frontDesk.status == 0, "\(frontDesk.stderr)")
        #expect(sandbox.siteCount("staff") == 2)
    }

    @Test("a duplicate room exits 1 duplicate, whatever its case")
    func duplicateRoom() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        #expect(sandbox.runClinic(["room", "add", "Bed 1"]).status == 0)
        for name in ["Bed 1", "BED 1"] {
            let again = sandbox.runClinic(["room", "add", name, "--kind", "gym", "--json"])
            #expect(again.status == 1)
            #expect(jsonError(again.stderr)?.code == "duplicate")
        }
        let rooms = jsonObject(sandbox.runClinic(["room", "list", "--json"]).stdout)?["rooms"] as? [[String: Any]]
        #expect(rooms?.count == 1)
        #expect(rooms?.first?["kind"] as? String == "bed")
    }

    @Test("service add takes 1h30m as 90 minutes")
    func serviceDuration() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let added = sandbox.runClinic(["service", "add", "osteo-90", "--name", "Osteopathy 90 min", "--duration", "1h30m",
                                       "--discipline", "osteopathy", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(jsonObject(added.stdout)?["duration_minutes"] as? Int == 90)
        let plain = sandbox.runClinic(["service", "list"])
        #expect(plain.stdout.contains("1h30m"))
        let duplicate = sandbox.runClinic(["service", "add", "osteo-90", "--name", "Again", "--duration", "1h",
                                           "--discipline", "osteopathy", "--json"])
        #expect(duplicate.status == 1)
        #expect(jsonError(duplicate.stderr)?.code == "duplicate")
    }

    @Test("service add refuses a bad duration with 64 and adds nothing", arguments: ["90", "1x", "0m", "25h", "", "m", "1h 30m"])
    func serviceBadDuration(duration: String) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let result = sandbox.runClinic(["service", "add", "dn-30", "--name", "Dry needling", "--duration", duration,
                                        "--discipline", "physiotherapy", "--json"])
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == "invalid-duration")
        #expect(sandbox.siteCount("services") == 0)
    }

    @Test("a malformed CLINIC_NOW is a usage error")
    func badClock() throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let result = sandbox.runClinic(["site", "show", "--json"], env: ["CLINIC_NOW": "next tuesday"])
        #expect(result.status == 64)
        #expect(jsonError(result.stderr)?.code == "invalid-time")
    }
}
