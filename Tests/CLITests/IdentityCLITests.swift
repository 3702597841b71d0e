import Foundation
import Models
@testable import Storage
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
        let clinic = ClinicProcess(sessions: false)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let login = try clinic.ok(["login", "--for", "30m"])
        #expect(login["handle"] as? String == "admin")
        let folder = clinic.folder.appendingPathComponent("state/clinic")
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
        var (clinic, _, _) = try clinicalSite(sessions: false)
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
        let folder = clinic.folder
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

    @Test("5 wrong passphrases within 15 minutes lock the handle for 15 minutes; every attempt is audited", arguments: Backend.allCases)
    func lockOut(backend: Backend) throws {
        var clinic = ClinicProcess(sessions: false, backend: backend)
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

    @Test("wrong passphrases tried by many processes at once are still at most 5 before the lock", arguments: Backend.allCases)
    func concurrentGuesses(backend: Backend) throws {
        let clinic = ClinicProcess(sessions: false, backend: backend)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let started = try (0..<12).map { index in
            try clinic.start(["whoami", "--json"], environment: ["CLINIC_PASSPHRASE": "guess number \(index)"])
        }
        var codes: [String] = []
        for (process, _, errors) in started {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            codes.append(["bad-passphrase", "locked-out"].first { text.contains("\"\($0)\"") } ?? text)
        }
        #expect(codes.filter { $0 == "bad-passphrase" }.count == 5, "\(codes)")
        #expect(codes.filter { $0 == "locked-out" }.count == 7, "\(codes)")
    }

    @Test("--passphrase-file reads a pipe (bash's <(…)) as it reads a file")
    func passphraseFromPipe() throws {
        let clinic = ClinicProcess(sessions: false)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let folder = clinic.folder
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", #"exec "$0" login --db "$1" --as admin --json --passphrase-file <(printf '%s\n' "$2")"#,
                             ClinicProcess.executable.path, clinic.database, TestIdentity.passphrase]
        process.environment = ["XDG_STATE_HOME": folder.appendingPathComponent("state").path, "CLINIC_NOW": clinic.now, "PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
    }

    @Test("init requires --admin and a passphrase of at least 8 characters; a passphrase file's first line is used", arguments: Backend.allCases)
    func initRequiresAdmin(backend: Backend) throws {
        let clinic = ClinicProcess(sessions: false, backend: backend)
        let missing = try clinic.run(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--admin-name", "N", "--json",
                                      "--admin", ""])
        #expect(missing.status == 64)
        let weak = try clinic.run(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--json"],
                                  environment: ["CLINIC_PASSPHRASE": "short"])
        #expect(weak.status == 64 && weak.errorCode == "weak-passphrase" && !weak.stderr.contains("short"))
        let folder = clinic.folder
        let file = TestIdentity.file(holding: "from a file 2026", in: folder)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--admin", "nbergeron",
                       "--admin-name", "Nathalie Bergeron", "--passphrase-file", file, "--test-clock"])
        let who = try clinic.run(["whoami", "--as", "nbergeron", "--json"], environment: ["CLINIC_PASSPHRASE": "from a file 2026"])
        #expect(who.status == 0 && who.json["handle"] as? String == "nbergeron")
    }

    @Test("recover-admin: the database file's owner sets an admin's passphrase; anyone else is refused")
    func recoverAdmin() throws {
        let clinic = ClinicProcess(sessions: false)
        try clinic.ok(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--test-clock"])
        let folder = clinic.folder
        let file = TestIdentity.file(holding: "recovered 2026", in: folder)
        try clinic.ok(["recover-admin", "admin", "--passphrase-file", file])
        #expect(try clinic.run(["site", "show", "--json"]).errorCode == "bad-passphrase", "the old passphrase no longer works")
        #expect(try clinic.run(["site", "show", "--json"], environment: ["CLINIC_PASSPHRASE": "recovered 2026"]).status == 0)
        guard getuid() == 0 else { return }
        chown(clinic.database, 4242, 4242)
        defer { chown(clinic.database, 0, 0) }
        let refused = try clinic.run(["recover-admin", "admin", "--passphrase-file", file, "--json"])
        #expect(refused.status == 1 && refused.errorCode == "forbidden")
        // A link to the file is the current user's own, the file still is not.
        let link = folder.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: clinic.database)
        let linked = try clinic.run(["recover-admin", "admin", "--db", link, "--passphrase-file", file, "--json"])
        #expect(linked.status == 1 && linked.errorCode == "forbidden", "\(linked.stderr)")
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
        // The guard on signed notes is a trigger: whoever can write the file can drop it and put it back.
        do {
            let db = try Database(path: clinic.database, create: false)
            let guardSQL = try #require(try db.first("SELECT sql FROM sqlite_schema WHERE name = 'note_signed_no_update'")?.string(0))
            try db.execute("DROP TRIGGER note_signed_no_update")
            try db.execute("UPDATE sync_state SET applying = 1")
            try db.execute("UPDATE note SET subjective = 'Edited behind the clinician''s back' WHERE id = ?", [note])
            try db.execute("UPDATE sync_state SET applying = 0")
            try db.execute(guardSQL)
        }
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

    @Test("changing one's passphrase keeps the same key; rotate-key makes a new one and the old signatures still verify")
    func passphraseChangeAndRotation() throws {
        let (clinic, physio, _) = try clinicalSite()
        let first = try signedNote(clinic, appointment: physio)
        let booked = appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-23 08:00"]))
        let earlier = try #require(booked.first?["id"] as? String)
        func key(_ note: String, passphrase: String = TestIdentity.passphrase) throws -> [String: Any] {
            let shown = try clinic.run(["note", "show", note, "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": passphrase])
            #expect(shown.status == 0, "\(shown.stderr)")
            return shown.json["signature"] as? [String: Any] ?? [:]
        }
        let original = try #require(try key(first)["key"] as? String)
        let folder = clinic.folder
        let same = try clinic.run(["passphrase", "--passphrase-file", TestIdentity.file(holding: TestIdentity.passphrase, in: folder),
                                   "--as", "jdoe", "--json"])
        #expect(same.status == 1 && same.errorCode == "same-passphrase", "the new passphrase must differ from the old")
        try clinic.ok(["passphrase", "--passphrase-file", TestIdentity.file(holding: "jane's second 2026", in: folder), "--as", "jdoe"])
        let changed = "jane's second 2026"
        let second = try #require(try clinic.run(["note", "start", earlier, "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": changed])
            .json["id"] as? String)
        for step in [["note", "edit", second, "--subjective", "Low back pain", "--as", "jdoe"], ["note", "sign", second, "--as", "jdoe"]] {
            let result = try clinic.run(step + ["--json"], environment: ["CLINIC_PASSPHRASE": changed])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try key(second, passphrase: changed)["key"] as? String == original, "the same private key, sealed again")

        let rotated = try clinic.ok(["staff", "rotate-key", "jdoe"])
        #expect(intValue(rotated["retired"]) == 1)
        let desk = try clinic.run(["staff", "rotate-key", "jdoe", "--as", "desk", "--json"])
        #expect(desk.status == 1 && desk.errorCode == "forbidden")
        let amended = try clinic.run(["note", "amend", second, "--text", "Phoned: better", "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": changed])
        #expect(amended.status == 0, "\(amended.stderr)")
        let shown = try clinic.run(["note", "show", second, "--as", "jdoe", "--json"], environment: ["CLINIC_PASSPHRASE": changed]).json
        let amendment = (shown["amendments"] as? [[String: Any]])?.first?["signature"] as? [String: Any] ?? [:]
        #expect(amendment["verified"] as? Bool == true)
        let newKey = try #require(amendment["key"] as? String)
        #expect(newKey != original && newKey.hasPrefix("ed25519:"), "signed after the rotation with a new key")
        for note in [first, second] {
            let old = try key(note, passphrase: changed)
            #expect(old["key"] as? String == original && old["verified"] as? Bool == true, "made before the rotation: still verifies")
        }
        let doctor = try clinic.run(["doctor", "--json"])
        #expect(doctorFinding(doctor, "note-signature")?["ok"] as? Bool == true, "\(doctor.stdout)")
    }
}

@Suite("Proven identity across sites, upgrades and artefacts")
struct IdentityAcrossSitesTests {
    @Test("a note and amendment signed at MTL verify at QC with the same key; passphrases and sealed keys never leave MTL")
    func signatureAtSecondSite() throws {
        var a = try montrealSite(), b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([a, b])
        a.clinic.now = "2026-12-02T17:00:00Z"
        b.clinic.now = a.clinic.now
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String)
        let note = try #require(try a.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try a.clinic.ok(["note", "edit", note, "--subjective", "Neck pain after desk work", "--as", "jdoe"])
        try a.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try a.clinic.ok(["note", "amend", note, "--text", "Phoned next day: no soreness", "--as", "jdoe"])
        let atMTL = try #require(try a.clinic.ok(["note", "show", note, "--as", "jdoe"])["signature"] as? [String: Any])
        try send(a, b)

        let shown = try b.clinic.ok(["note", "show", note, "--as", "jdoe"])
        let atQC = try #require(shown["signature"] as? [String: Any])
        #expect(atQC["verified"] as? Bool == true && atQC["method"] as? String == "ed25519")
        #expect(atQC["key"] as? String == atMTL["key"] as? String, "the same key, checked where it did not sign")
        let amendments = shown["amendments"] as? [[String: Any]] ?? []
        #expect(amendments.count == 1)
        #expect((amendments.first?["signature"] as? [String: Any])?["verified"] as? Bool == true)
        for site in [a, b] {
            let local = try sqliteShell(site.clinic.database, """
                SELECT COUNT(*) FROM change WHERE tbl IN ('staff_secret', 'sealed_key', 'login_session', 'passphrase_attempt');
                """)
            #expect(local.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "at \(site.code): local secrets are never captured")
        }
        let salts = try [a, b].map { try sqliteShell($0.clinic.database, "SELECT hex(salt) FROM staff_secret s JOIN staff t ON t.id = s.staff_id WHERE t.handle = 'jdoe';").stdout }
        #expect(!salts[1].isEmpty && salts[0] != salts[1], "jdoe chose a passphrase at QC of her own")
        let doctor = try b.clinic.run(["doctor", "--json"])
        #expect(doctorFinding(doctor, "note-signature")?["ok"] as? Bool == true, "\(doctor.stdout)")
    }

    @Test("no passphrase, token or key material appears in any output, error, audit entry, change log or export")
    func noSecretsInArtefacts() throws {
        let (clinic, physio, _) = try clinicalSite()
        var artefacts: [String] = []
        func keep(_ result: ClinicProcess.Result) { artefacts += [result.stdout, result.stderr] }
        keep(try clinic.run(["login", "--as", "jdoe", "--json"]))
        keep(try clinic.run(["site", "show", "--json"], environment: ["CLINIC_PASSPHRASE": "a wrong passphrase"]))
        let note = try signedNote(clinic, appointment: physio)
        keep(try clinic.run(["note", "show", note, "--as", "jdoe"]))
        keep(try clinic.run(["note", "amend", note, "--text", "Phoned next day", "--as", "jdoe", "--json"]))
        keep(try clinic.run(["audit", "--limit", "500", "--json"]))
        keep(try clinic.run(["whoami", "--as", "jdoe", "--json"]))
        let folder = clinic.folder
        let plain = folder.appendingPathComponent("plain.jsonl").path, fhir = folder.appendingPathComponent("fhir.json").path
        keep(try clinic.run(["sync", "export", "--plaintext", "--to", plain, "--json"]))
        keep(try clinic.run(["export", "fhir", "--patient", "MTL-000001", "--to", fhir, "--as", "jdoe", "--json"]))
        artefacts += [try String(contentsOfFile: plain, encoding: .utf8), try String(contentsOfFile: fhir, encoding: .utf8)]
        let tokens = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("state/clinic").path)
            .map { try String(contentsOfFile: folder.appendingPathComponent("state/clinic/\($0)").path, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(!tokens.isEmpty)
        let sealed = try sqliteShell(clinic.database, "SELECT hex(sealed) FROM sealed_key; SELECT hex(salt) FROM staff_secret; SELECT hex(verifier) FROM staff_secret;")
            .stdout.split(separator: "\n").map(String.init)
        #expect(sealed.count >= 4, "a sealed key and passphrase hashes exist to look for")
        let secrets = [TestIdentity.passphrase, TestIdentity.firstPassphrase, "a wrong passphrase"] + tokens + sealed
        for artefact in artefacts {
            for secret in secrets where !secret.isEmpty {
                #expect(!artefact.uppercased().contains(secret.uppercased()), "a secret leaked into an artefact")
            }
        }
    }

    @Test("a database made by the previous release upgrades: nobody has a passphrase until the file's owner runs recover-admin")
    func upgradeFromPreviousRelease() throws {
        let clinic = ClinicProcess(sessions: false)
        do {
            let old = try Database(path: clinic.database, create: true, migrate: false)
            try Migrator.clinic.migrate(old, to: 13)
            _ = try old.write { db in
                try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES ('s', 'MTL', 'Montréal', 'America/Toronto', 1, 0)")
                try db.execute("INSERT INTO staff (id, handle, name, discipline, role, roles, created_at) VALUES ('a', 'admin', 'Admin', NULL, 'admin', 'admin', 0)")
                try db.execute("UPDATE local_setting SET test_clock = 1")
            }
        }
        let before = try clinic.run(["site", "show", "--json"])
        #expect(before.status == 1 && before.errorCode == "login-required", "\(before.stderr)")
        #expect(before.stderr.contains("recover-admin"))
        let file = TestIdentity.file(holding: TestIdentity.passphrase, in: clinic.folder)
        try clinic.ok(["recover-admin", "admin", "--passphrase-file", file])
        let after = try clinic.ok(["site", "show"])
        #expect(after["code"] as? String == "MTL")
    }

    @Test("the demo's notes are signed with each clinician's own key; the demo prints the shared passphrase")
    func demoSignatures() throws {
        let clinic = ClinicProcess(sessions: false)
        let demo = try clinic.ok(["demo"])
        #expect(demo["passphrase"] as? String == "demo")
        let database = try Database(path: clinic.database, create: false)
        let notes = try database.query("SELECT n.id, s.handle FROM note n JOIN staff s ON s.id = n.signed_by WHERE n.status = 'signed'")
        #expect(notes.count > 50)
        var keys: [String: Set<String>] = [:]
        for row in notes.prefix(12) {
            let shown = try clinic.ok(["note", "show", row.string(0), "--as", row.string(1)])
            let signature = try #require(shown["signature"] as? [String: Any])
            #expect(signature["verified"] as? Bool == true && signature["method"] as? String == "ed25519")
            keys[row.string(1), default: []].insert(signature["key"] as? String ?? "")
        }
        #expect(keys.values.allSatisfy { $0.count == 1 }, "one key per clinician")
        #expect(Set(keys.values.flatMap { $0 }).count == keys.count, "no two clinicians share a key")
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
