import Foundation
import Models
import Storage
import Sync

/// What proven identity (issue 24) costs: one scrypt derivation, what `note sign` pays for asking the
/// passphrase again, and the signature checks an import makes on every clinician-signed note.
///
/// One source site (QC) with two clinicians who choose their own passphrases, `notes` notes signed
/// through `Notes.sign` (each clinician in one session, so their scrypt is derived once) and a plaintext
/// change log of it all; a destination (MTL) that trusts QC imports that log in alternating rounds.
enum IdentityBenchmarks {
    static func run(path: String, notes: Int, samples: Int, rounds: Int) throws {
        let source = try Clinic.create(path: path, code: "QC", practitionerCount: 2, patientCount: 200, signers: 2, captured: true)
        let db = source.db
        // Notes for the sign benchmark (a fresh session, a session that has derived, a draft edit: `samples`
        // each, all the first clinician's), then the ones only signed for the change log.
        let perClinician = 3 * samples
        let total = max(notes, 0) + 2 * perClinician
        let freeDay = try source.bulkAppointments(total, captured: true)
        let signNow = source.zone.startOfDay(freeDay)
        try draftNotes(source)

        // (a) One scrypt derivation with the parameters new passphrases get, and what it means for a
        // command: acting through an open session against acting by passphrase.
        var kdf: [Double] = [], kdfCPU: [Double] = [], bySession: [Double] = [], byPassphrase: [Double] = []
        for index in 0..<samples {
            let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            var wall = 0.0
            kdfCPU.append(try Timing.threadCPU {
                wall = try Timing.seconds { _ = try PassphraseKDF.derive(Clinic.clinicianPassphrase, salt: salt, parameters: .current) }
            })
            kdf.append(wall)
            let now = Clinic.setupNow + Int64(index + 1) * 1_000
            let session = { _ = try source.admin(now: now).whoami() }
            let passphrase = {
                _ = try AuditedSession(db: db, handle: "admin", credentials: .passphrase(Clinic.adminPassphrase), now: now).whoami()
            }
            if index % 2 == 0 {
                bySession.append(try Timing.seconds(session))
                byPassphrase.append(try Timing.seconds(passphrase))
            } else {
                byPassphrase.append(try Timing.seconds(passphrase))
                bySession.append(try Timing.seconds(session))
            }
        }
        var report = Report("identity-kdf")
        report.add("log_n", ScryptParameters.current.logN)
        report.add("r", ScryptParameters.current.r)
        report.add("kdf_ms", Timing.median(kdf) * 1000)
        report.add("kdf_cpu_ms", Timing.median(kdfCPU) * 1000)
        report.add("session_proof_ms", Timing.median(bySession) * 1000)
        report.add("passphrase_proof_ms", Timing.median(byPassphrase) * 1000)
        report.print()

        // (b) `note sign` in a logged-in workstation: a new session proven by the clinician's open session,
        // asked the passphrase again (one scrypt and its attempt's commit), then the signing transaction.
        // Beside it, in alternating order: the same signature in a session that has already derived (the
        // hash, the checks and the write, plus an unseal and one Ed25519 signature), and a draft edit.
        let ids = try noteIDs(db)
        let p0 = source.practitioners[0], p1 = source.practitioners[1]
        let mine = ids[p0.id] ?? [], theirs = ids[p1.id] ?? []
        guard mine.count >= perClinician else { throw BenchError("too few notes for \(p0.handle)") }
        let first = try source.enrol(p0.handle, now: signNow)
        let second = try source.enrol(p1.handle, now: signNow)
        let login = try first.login(minutes: 600)
        let loggedIn = Credentials(sessionTokens: [login.token], passphrase: { nil })
        func fresh() -> AuditedSession { AuditedSession(db: db, handle: p0.handle, credentials: loggedIn, now: signNow) }
        let passphrase: () throws -> String? = { Clinic.clinicianPassphrase }
        var signWall: [Double] = [], signCPU: [Double] = [], cachedWall: [Double] = [], cachedCPU: [Double] = []
        var editWall: [Double] = [], addedWall: [Double] = [], addedCPU: [Double] = []
        var edit = Notes.Edit()
        edit.sections[.plan] = "review home program in two weeks"
        for index in 0..<samples {
            let (freshNote, cachedNote, editNote) = (mine[3 * index], mine[3 * index + 1], mine[3 * index + 2])
            var wall = (0.0, 0.0), cpu = (0.0, 0.0)
            func signFresh() throws {
                cpu.0 = try Timing.threadCPU { wall.0 = try Timing.seconds { _ = try Notes(fresh()).sign(freshNote, acknowledge: [], passphrase: passphrase) } }
            }
            func signCached() throws {
                cpu.1 = try Timing.threadCPU { wall.1 = try Timing.seconds { _ = try Notes(first).sign(cachedNote, acknowledge: [], passphrase: passphrase) } }
            }
            if index % 2 == 0 { try signFresh(); try signCached() } else { try signCached(); try signFresh() }
            editWall.append(try Timing.seconds { _ = try Notes(fresh()).edit(editNote, edit) })
            signWall.append(wall.0); cachedWall.append(wall.1); signCPU.append(cpu.0); cachedCPU.append(cpu.1)
            addedWall.append(wall.0 - wall.1); addedCPU.append(cpu.0 - cpu.1)
        }
        // The rest of the notes, for the change log: each clinician's one session, one commit a note.
        let rest = Array(mine.dropFirst(perClinician)).map { ($0, first) } + theirs.map { ($0, second) }
        let bulk = try Timing.seconds {
            for (note, session) in rest { _ = try Notes(session).sign(note, acknowledge: [], passphrase: passphrase) }
        }
        report = Report("identity-sign")
        report.add("sign_ms", Timing.median(signWall) * 1000)
        report.add("sign_cpu_ms", Timing.median(signCPU) * 1000)
        report.add("cached_sign_ms", Timing.median(cachedWall) * 1000)
        report.add("cached_sign_cpu_ms", Timing.median(cachedCPU) * 1000)
        report.add("edit_ms", Timing.median(editWall) * 1000)
        report.add("added_ms", Timing.median(addedWall) * 1000)
        report.add("added_cpu_ms", Timing.median(addedCPU) * 1000)
        report.add("bulk_sign_ms", rest.isEmpty ? 0 : bulk / Double(rest.count) * 1000)
        report.print()

        // (c) The log, and a destination that trusts QC.
        let logPath = path + ".log.jsonl"
        let exporter = AuditedSession(db: db, handle: "admin", credentials: .passphrase(Clinic.adminPassphrase), now: signNow)
        _ = try exporter.exportLog(to: .file(logPath, replacing: true), recipient: nil, full: true, plaintext: true)
        let signed = Int(try db.first("SELECT count(*) FROM note WHERE status = 'signed'")?.int(0) ?? 0)
        let destination = try Clinic.create(path: path + ".dst", code: "MTL", practitionerCount: 2, patientCount: 2)
        let keys = try SiteKeys.ensure(db)
        _ = try destination.admin().trust(site: keys.code, keyLine: keys.publicLine)
        let copy = path + ".dst-copy"
        // The baseline: Ed25519 alone, over the same documents, signed here by a key of the benchmark's own
        // (whatever message the library derives from a document, this is the bare curve check on text of
        // the same size).
        let benchKey = ClinicianPrivateKey.generate()
        let publicKey = benchKey.publicKey
        let triples = try documents(db).map { (document: $0, signature: try benchKey.sign($0), publicKey: publicKey) }
        guard triples.count == signed else { throw BenchError("\(triples.count) signed documents, \(signed) signed notes") }
        var importWall: [Double] = [], importCPU: [Double] = [], checks: [Double] = [], raw: [Double] = []
        var parsing: [Double] = [], lookups: [Double] = []
        var changes = 0
        for round in 0..<rounds {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            try destination.db.execute("VACUUM INTO ?", [copy])
            let target = try Database(path: copy, create: false)
            let before = try target.first("SELECT COALESCE(MAX(seq), 0) FROM change")?.int(0) ?? 0
            var wall = 0.0
            let importer = AuditedSession(db: target, handle: "admin", credentials: destination.adminCredentials, now: Clinic.setupNow)
            importCPU.append(try Timing.processCPU { wall = try Timing.seconds { changes = try importer.importLog(logPath).applied } })
            importWall.append(wall)
            // The same checks again over the rows the import stored, and Ed25519 alone over the same documents.
            var checked = 0
            func again() throws { checks.append(try Timing.threadCPU { checked = try ImportedSignatures.verify(target, storedAfter: before) }) }
            func ed25519() throws {
                var valid = 0
                raw.append(Timing.threadCPU {
                    for t in triples where ClinicianKeys.verify(signature: t.signature, document: t.document, publicKey: t.publicKey) { valid += 1 }
                })
                guard valid == triples.count else { throw BenchError("\(triples.count - valid) of \(triples.count) signatures did not verify") }
            }
            if round % 2 == 0 { try again(); try ed25519() } else { try ed25519(); try again() }
            // Where the checks' time goes beside Ed25519: reading and parsing the changes (the values, then
            // the signed document inside them, written out canonically again), and one key lookup a note.
            var keyIDs: [String] = []
            parsing.append(try Timing.threadCPU { keyIDs = try parseLikeImport(target, storedAfter: before) })
            let keys = SigningKeys(target)
            lookups.append(try Timing.threadCPU { for id in keyIDs { _ = try keys.publicKey(id) } })
            guard checked == signed else { throw BenchError("\(checked) notes checked, \(signed) expected") }
        }
        report = Report("identity-verify")
        report.add("notes", signed)
        report.add("changes", changes)
        report.add("import_ms", Timing.median(importWall) * 1000)
        report.add("import_cpu_ms", Timing.median(importCPU) * 1000)
        report.add("verify_us", Timing.median(checks) / Double(max(signed, 1)) * 1e6)
        report.add("ed25519_us", Timing.median(raw) / Double(max(signed, 1)) * 1e6)
        report.add("parse_us", Timing.median(parsing) / Double(max(signed, 1)) * 1e6)
        report.add("key_lookup_us", Timing.median(lookups) / Double(max(signed, 1)) * 1e6)
        report.print()
        for file in [logPath, copy, copy + "-wal", copy + "-shm"] { try? FileManager.default.removeItem(atPath: file) }
    }

    /// A draft note (some SOAP text) for every appointment, by its practitioner, with change capture on.
    static func draftNotes(_ clinic: Clinic) throws {
        var seed: UInt64 = 24
        func sentence(_ count: Int) -> String {
            (0..<count).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return NoteBenchmarks.vocabulary[Int((seed >> 33) % UInt64(NoteBenchmarks.vocabulary.count))]
            }.joined(separator: " ")
        }
        try clinic.draftNotes(kind: 7, captured: true, sentence: sentence)
    }

    /// Note ids by author, oldest appointment first.
    static func noteIDs(_ db: Database) throws -> [String: [String]] {
        var ids: [String: [String]] = [:]
        try db.forEach("SELECT n.id, n.author_id FROM note n JOIN appointment a ON a.id = n.appointment_id ORDER BY a.start_ms") { row in
            ids[row.string(1), default: []].append(row.string(0))
        }
        return ids
    }

    /// The reading part of `ImportedSignatures.verify` alone: the query, both parses and the canonical document;
    /// returns each signed note's key id.
    static func parseLikeImport(_ db: Database, storedAfter seq: Int64) throws -> [String] {
        var keyIDs: [String] = []
        try db.forEach("""
            SELECT tbl, row_id, vals FROM change WHERE seq > ? AND change_id IS NOT NULL
            AND ((tbl = 'note' AND grp = 'signature') OR (tbl IN ('amendment', 'amendment_signature') AND grp = 'details'))
            """, [seq]) { row in
            guard row.string(0) == "note", let values = (try? JSONParser.parse(row.string(2)))?.objectValue,
                  values["status"]?.stringValue == "signed", let content = values["signed_content"]?.stringValue,
                  let stored = ClinicalSignatures.split(content), let keyID = stored.members["key"]?.stringValue else { return }
            keyIDs.append(keyID)
        }
        return keyIDs
    }

    /// The documents of the signed notes (their `signed_content` without the signature member).
    static func documents(_ db: Database) throws -> [String] {
        try db.query("SELECT signed_content FROM note WHERE status = 'signed'").compactMap { row in
            ClinicalSignatures.split(row.string(0))?.document
        }
    }
}
