import Foundation
import Models
import Storage
import Testing

/// A clinical site (see `clinicalSite`) with jdoe's dry-needling note signed; returns the note id.
func signedNote(_ clinic: ClinicProcess, appointment: String) throws -> String {
    let note = try #require(try clinic.ok(["note", "start", appointment, "--as", "jdoe"])["id"] as? String)
    try clinic.ok(["note", "edit", note, "--subjective", "Neck pain after desk work", "--pain-before", "6", "--as", "jdoe"])
    try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--as", "jdoe"])
    try clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--count", "1", "--as", "jdoe"])
    try clinic.ok(["note", "needles-removed", note, "--count", "1", "--as", "jdoe"])
    try clinic.ok(["note", "sign", note, "--as", "jdoe"])
    return note
}

@Suite("Proven identity: passphrases, sessions, lock-out, clinicians' own signatures")
struct IdentityCLITests {
    /// Who runs a command with no passphrase in the environment and no handle: only a session can prove them.
    static let bare = ["CLINIC_PASSPHRASE": "", "CLINIC_ACTOR": ""]

    @Test("login → commands with no passphrase and no --as → logout; the token file is private and only its hash is stored")
    func loginCommandLogout() throws {
        let clinic = ClinicProcess()
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let login = try clinic.ok(["login", "--for", "30m"])
        #expect(login["handle"] as? String == "admin")
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent().appendingPathComponent("state/clinic")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".session") }
        #expect(files.count == 1)
        let tokenPath = folder.appendingPathComponent(try #require(files.first)).path
        let fileMode = try #require(try FileManager.default.attributesOfItem(atPath: tokenPath)[.posixPermissions] as? NSNumber)
        let folderMode = try #require(try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? NSNumber)
        #expect(fileMode.intValue == 0o600 && folderMode.intValue == 0o700)
        let token = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64)
        let databaseBytes = try Data(contentsOf: URL(fileURLWithPath: clinic.database)) + ((try? Data(contentsOf: URL(fileURLWithPath: clinic.database + "-wal"))) ?? Data())
        #expect(databaseBytes.range(of: Data(token.utf8)) == nil, "the database holds the token's hash, never the token")

        let whoami = try clinic.run(["whoami", "--json"], environment: Self.bare)
        #expect(whoami.status == 0 && whoami.json["handle"] as? String == "admin" && whoami.json["session"] as? Bool == true)
        #expect(try clinic.run(["room", "add", "Bed 1", "--json"], environment: Self.bare).status == 0)
        #expect(try clinic.run(["logout", "--json"], environment: Self.bare).status == 0)
        #expect(!FileManager.default.fileExists(atPath: tokenPath))
        let after = try clinic.run(["whoami", "--json"], environment: Self.bare)
        #expect(after.status == 64 && after.errorCode == "actor-required")
        let named = try clinic.run(["whoami", "--as", "admin", "--json"], environment: ["CLINIC_PASSPHRASE": ""])
        #expect(named.status == 1 && named.errorCode == "login-required")
    }

    @Test("a session expires, and --as never falls back to someone else's session")
    func expiryAndNoFallback() throws {
        var (clinic, _, _) = try clinicalSite()
        try clinic.ok(["login", "--for", "30m"])
        let jdoe = try clinic.run(["schedule", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": ""])
        #expect(jdoe.status == 1 && jdoe.errorCode == "login-required", "admin's session proves nobody else")
        #expect(try clinic.run(["schedule", "--json"], environment: Self.bare).status == 0)
        clinic.now = "2026-11-23T14:31:00Z"
        let expired = try clinic.run(["schedule", "--json"], environment: Self.bare)
        #expect(expired.status == 64 && expired.errorCode == "actor-required")
        #expect(try clinic.run(["schedule", "--as", "admin", "--json"], environment: ["CLINIC_PASSPHRASE": ""]).errorCode == "login-required")
        #expect(try clinic.run(["login", "--for", "25h", "--json"]).status == 64)
    }

    @Test("a reset or a deactivation ends the member's sessions; the reset passphrase allows only 'clinic passphrase'")
    func revokedSessions() throws {
        let (clinic, _, _) = try clinicalSite()
        try clinic.ok(["login", "--as", "jdoe"])
        #expect(try clinic.run(["schedule", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": ""]).status == 0)
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent()
        let reset = TestIdentity.file(holding: "reset by admin 1", in: folder)
        try clinic.ok(["staff", "reset-passphrase", "jdoe", "--passphrase-file", reset])
        #expect(try clinic.run(["schedule", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": ""]).errorCode == "login-required")
        let limited = try clinic.run(["schedule", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": "reset by admin 1"])
        #expect(limited.status == 1 && limited.errorCode == "passphrase-change-required")
        let own = TestIdentity.file(holding: "jane's own 2026", in: folder)
        #expect(try clinic.run(["passphrase", "--passphrase-file", own, "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": "reset by admin 1"]).status == 0)
        #expect(try clinic.run(["schedule", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": "jane's own 2026"]).status == 0)

        try clinic.ok(["login", "--as", "lchen"])
        try clinic.ok(["staff", "deactivate", "lchen"])
        let gone = try clinic.run(["schedule", "--as", "lchen", "--json"], environment: ["CLINIC_PASSPHRASE": ""])
        #expect(gone.status == 1 && gone.errorCode == "forbidden")
    }

    @Test("5 wrong passphrases within 15 minutes lock the handle for 15 minutes; every attempt is audited")
    func lockOut() throws {
        var clinic = ClinicProcess()
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        for minute in 0..<5 {
            clinic.now = "2026-11-23T14:0\(minute):00Z"
            let wrong = try clinic.run(["site", "show", "--json"], environment: ["CLINIC_PASSPHRASE": "not the passphrase"])
            #expect(wrong.status == 1 && wrong.errorCode == "bad-passphrase")
        }
        clinic.now = "2026-11-23T14:10:00Z"
        let locked = try clinic.run(["site", "show", "--json"])
        #expect(locked.status == 1 && locked.errorCode == "locked-out", "even the right passphrase is refused while locked")
        clinic.now = "2026-11-23T14:19:30Z"
        #expect(try clinic.run(["site", "show", "--json"]).status == 0, "the lock ends 15 minutes after the fifth wrong passphrase")
        let audit = try clinic.ok(["audit", "--limit", "50"])
        let entries = audit["entries"] as? [[String: Any]] ?? []
        let attempts = entries.filter { $0["action"] as? String == "authenticate" }.compactMap { $0["outcome"] as? String }
        #expect(attempts.filter { $0 == "bad-passphrase" }.count == 5)
        #expect(entries.contains { $0["outcome"] as? String == "locked-out" })
        #expect(!(audit.description.contains("not the passphrase")))
    }

    @Test("init requires --admin and a passphrase of at least 8 characters; a passphrase file's first line is used")
    func initRequiresAdmin() throws {
        let clinic = ClinicProcess()
        let missing = try clinic.run(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--admin-name", "N", "--json",
                                      "--admin", ""])
        #expect(missing.status == 64)
        let weak = try clinic.run(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--json"],
                                  environment: ["CLINIC_PASSPHRASE": "short"])
        #expect(weak.status == 64 && weak.errorCode == "weak-passphrase" && !weak.stderr.contains("short"))
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent()
        let file = TestIdentity.file(holding: "from a file 2026", in: folder)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--admin", "nbergeron",
                       "--admin-name", "Nathalie Bergeron", "--passphrase-file", file, "--test-clock"])
        let who = try clinic.run(["whoami", "--as", "nbergeron", "--json"], environment: ["CLINIC_PASSPHRASE": "from a file 2026"])
        #expect(who.status == 0 && who.json["handle"] as? String == "nbergeron")
    }

    @Test("recover-admin: the database file's owner sets an admin's passphrase; anyone else is refused")
    func recoverAdmin() throws {
        let clinic = ClinicProcess()
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let folder = URL(fileURLWithPath: clinic.database).deletingLastPathComponent()
        let file = TestIdentity.file(holding: "recovered 2026", in: folder)
        try clinic.ok(["recover-admin", "admin", "--passphrase-file", file])
        #expect(try clinic.run(["site", "show", "--json"]).errorCode == "bad-passphrase", "the old passphrase no longer works")
        #expect(try clinic.run(["site", "show", "--json"], environment: ["CLINIC_PASSPHRASE": "recovered 2026"]).status == 0)
        guard getuid() == 0 else { return }
        chown(clinic.database, 4242, 4242)
        defer { chown(clinic.database, 0, 0) }
        let refused = try clinic.run(["recover-admin", "admin", "--passphrase-file", file, "--json"])
        #expect(refused.status == 1 && refused.errorCode == "forbidden")
    }

    @Test("note sign uses the clinician's own key: note show says who, when, which key, verified; a changed note is a bad signature")
    func ownSignature() throws {
        let (clinic, physio, _) = try clinicalSite()
        let note = try signedNote(clinic, appointment: physio)
        let shown = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        let signature = try #require(shown["signature"] as? [String: Any])
        #expect(signature["signer"] as? String == "jdoe")
        #expect((signature["key"] as? String)?.hasPrefix("ed25519:") == true)
        #expect((signature["signed_at"] as? String)?.hasSuffix("-05:00") == true, "signing time in the site's local time")
        #expect(signature["verified"] as? Bool == true)
        let wrong = try clinic.run(["note", "amend", note, "--text", "Later note", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": "wrong one"])
        #expect(wrong.status == 1 && wrong.errorCode == "bad-passphrase")

        // Someone with write access to the file changes the text and recomputes the stored SHA-256.
        let changed = try sqliteShell(clinic.database, """
            UPDATE sync_state SET applying = 1;
            UPDATE note SET subjective = 'Edited behind the clinician''s back' WHERE id = '\(note)';
            UPDATE sync_state SET applying = 0;
            """)
        #expect(changed.status == 0, "\(changed.stderr)")
        try rehash(note: note, database: clinic.database)
        let tampered = try clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect(tampered["hash_verified"] as? Bool == true, "the stored hash was recomputed")
        #expect((tampered["signature"] as? [String: Any])?["verified"] as? Bool == false)
        let human = try clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(human.stdout.contains("BAD SIGNATURE"))
        let doctor = try clinic.run(["doctor", "--json"])
        let findings = doctor.json["findings"] as? [[String: Any]] ?? []
        #expect(findings.first { $0["code"] as? String == "note-signature" }?["ok"] as? Bool == false)
    }
}

/// Runs the `sqlite3` shell on a database.
func sqliteShell(_ database: String, _ script: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", database]
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(script.utf8))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile(), err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

/// Recomputes a signed note's stored SHA-256 from its content as it now stands, as someone who can write
/// the file and read this program's source could.
func rehash(note: String, database: String) throws {
    let db = try Database(path: database, create: false)
    let record = try Notes(AuditedSession(db: db, handle: "jdoe", now: 0)).show(note)
    try db.execute("UPDATE sync_state SET applying = 1")
    try db.execute("UPDATE note SET content_hash = ? WHERE id = ?", [record.computedHash, note])
    try db.execute("UPDATE sync_state SET applying = 0")
}
