import Foundation
import Models
import Storage
import Testing

/// Opens a site's database in this process, the way someone who can write the file could, with
/// the site's clock as its `clinic` commands see it (so what it changes is stamped like them).
func openDirectly(_ site: SyncSite) throws -> Database {
    let db = try Database(path: site.clinic.database, create: false)
    let instant = try #require(ISO8601DateFormatter().date(from: site.clinic.now))
    db.clock = ClinicClock(fixed: instant)
    return db
}

/// A finding of `clinic doctor --json`, by its code.
func doctorFinding(_ result: ClinicProcess.Result, _ code: String) -> [String: Any]? {
    (result.json["findings"] as? [[String: Any]] ?? []).first { $0["code"] as? String == code }
}

@Suite("Sync keeps signed notes, change logs and audit logs honest, through the real binary")
struct SyncIntegrityCLITests {
    /// MTL signs a note and everyone has it; LAV's database is then changed behind `clinic`'s back
    /// so that its next log reopens and rewrites the note (plaintext, signed with LAV's own key).
    @Test("a peer's log that would reopen a signed note leaves it signed with its hash at both sites and lists the conflict at both")
    func signedNoteStaysSigned() throws {
        var (a, b, c) = try threeSites()
        // The afternoon of the session (jdoe's 11:00 on 2026-12-02): a note is signed once its session has started.
        a.clinic.now = "2026-12-02T17:00:00Z"
        b.clinic.now = a.clinic.now
        c.clinic.now = a.clinic.now
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String, "jdoe's booking: \(day)")
        let note = try #require(try a.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try a.clinic.ok(["note", "edit", note, "--subjective", "Neck pain after desk work", "--as", "jdoe"])
        try a.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try exchangeAll([a, b, c])
        let signed = try a.clinic.ok(["note", "show", note, "--as", "jdoe"])
        let hash = try #require(signed["hash"] as? String)
        #expect(try b.clinic.ok(["note", "show", note, "--as", "jdoe"])["hash"] as? String == hash)

        do {
            let db = try openDirectly(c)
            try db.execute("DROP TRIGGER note_signed_no_update")
            try db.write { db in
                try db.execute("""
                    UPDATE note SET status = 'draft', signed_by = NULL, signed_at = NULL, content_hash = NULL, signed_content = NULL,
                                    acknowledged = '', subjective = 'Rewritten after signing' WHERE id = ?
                    """, [note])
            }
        }
        for site in [a, b] {
            // New there: the reopening and the new text; each kept as a conflict, neither applied.
            let summary = try site.importFile(try c.export(for: site.code, extra: ["--plaintext"]).file)
            #expect(summary.applied == 2 && summary.conflicts == 2, "at \(site.code): \(summary)")
        }
        try exchangeAll([a, b])
        #expect(try a.digest() == b.digest())
        var listed: [[String]] = []
        for site in [a, b] {
            let shown = try site.clinic.ok(["note", "show", note, "--as", "jdoe"])
            #expect(shown["status"] as? String == "signed", "at \(site.code): \(shown)")
            #expect(shown["hash"] as? String == hash && shown["hash_verified"] as? Bool == true, "at \(site.code): \(shown)")
            #expect(shown["subjective"] as? String == "Neck pain after desk work", "at \(site.code)")
            let json = try site.clinic.ok(["sync", "conflicts", "--as", site.admin])
            let late = (json["conflicts"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "edit-after-sign" }
            #expect(late.count == 2, "at \(site.code): \(json)")
            listed.append(late.compactMap { $0["id"] as? String }.sorted())
            let doctor = try site.clinic.run(["doctor", "--json", "--as", site.admin])
            #expect(doctorFinding(doctor, "note-hash")?["ok"] as? Bool == true, "\(doctor.stdout)")
        }
        #expect(listed[0] == listed[1], "the same conflicts under the same ids: \(listed)")
    }

    @Test("a log whose trailer gains a space or a key, whose header gains a space, or whose change line gains a space is refused with 65 bad-file and changes nothing")
    func strictLayout() throws {
        let a = try montrealSite()
        let b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([a, b])
        let plain = try a.export(for: "QC", extra: ["--plaintext"])
        let original = lines(try readBytes(plain.file))
        let trailerIndex = original.count - 2
        let before = try b.digest()
        for (label, index, old, new) in [("trailer with a space", trailerIndex, "{\"trailer\":", "{\"trailer\": "),
                                         ("trailer with an extra key", trailerIndex, "\"count\":", "\"comment\":\"x\",\"count\":"),
                                         ("header with a space", 0, "\"format\":", "\"format\": "),
                                         ("change line with a space", 1, "{\"group\":", "{\"group\": ")] {
            var edited = original
            edited[index] = try #require(replacingFirst(old, with: new, in: original[index]), "\(label)")
            let file = a.newFile("strict")
            try writeBytes(joinLines(edited), to: file)
            let result = try b.clinic.run(["sync", "import", file, "--json"])
            #expect(result.status == 65 && result.errorCode == "bad-file", "\(label): exit \(result.status) \(result.stderr)")
            #expect(try b.digest() == before, "\(label): the digest changed")
        }
        // The file as written imports.
        #expect(try b.importFile(plain.file).applied == plain.changes)
    }

    /// MTL's last audit entries are deleted by someone who can write its database (the guard trigger
    /// dropped and put back); with `grown`, MTL then writes more entries than were cut.
    @Test("a peer whose audit log was cut back is reported as audit-rewound at the next import of its log, and by doctor at both sites",
          arguments: [false, true])
    func auditRewound(grown: Bool) throws {
        let a = try montrealSite()
        let b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([a, b])
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String, "jdoe's booking: \(day)")
        let note = try #require(try a.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try a.clinic.ok(["note", "edit", note, "--subjective", "Neck pain", "--as", "jdoe"])
        try a.clinic.ok(["note", "show", note, "--as", "jdoe"])
        let first = try b.clinic.run(["sync", "import", try a.export(for: "QC").file, "--json"])
        #expect(first.status == 0 && first.json["audit_rewound"] as? Bool == false, "\(first.stdout)\(first.stderr)")

        do {
            let db = try openDirectly(a)
            let guardSQL = try #require(try db.first("SELECT sql FROM sqlite_schema WHERE name = 'audit_no_delete'")?.string(0))
            try db.execute("DROP TRIGGER audit_no_delete")
            // Back past the head MTL's last log sent (its export wrote two entries: the passphrase check and the export).
            try db.execute("DELETE FROM audit WHERE seq > (SELECT max(seq) - 3 FROM audit)")
            try db.execute(guardSQL)
        }
        if grown {
            for _ in 0..<3 { try a.clinic.ok(["note", "show", note, "--as", "jdoe"]) }
        }
        let second = try a.export(for: "QC")
        // A copy of QC takes it in human output: the warning is a line of its own.
        let copy = SyncSite(clinic: ClinicProcess(actor: "qcadmin"), code: "QC", admin: "qcadmin")
        try copyDatabase(from: b.clinic.database, to: copy.clinic.database)
        let human = try copy.clinic.run(["sync", "import", second.file])
        #expect(human.status == 0 && human.stdout.split(separator: "\n").contains { $0.hasPrefix("Warning: audit-rewound: MTL") }, "\(human.stdout)")

        let result = try b.clinic.run(["sync", "import", second.file, "--json"])
        #expect(result.status == 0 && result.json["audit_rewound"] as? Bool == true, "\(result.stdout)\(result.stderr)")
        let doctor = try b.clinic.run(["doctor", "--json"])
        #expect(doctor.status == 1)
        let finding = doctorFinding(doctor, "audit-rewound")
        #expect(finding?["ok"] as? Bool == false && (finding?["message"] as? String ?? "").contains("MTL"), "\(doctor.stdout)")
        // At MTL itself, doctor sees the cut too.
        let own = try a.clinic.run(["doctor", "--json"])
        #expect(own.status == 1 && doctorFinding(own, "audit-length")?["ok"] as? Bool == false, "\(own.stdout)")
        #expect(doctorFinding(own, "schema")?["ok"] as? Bool == true, "the guard is back as it was: \(own.stdout)")

        // MTL's next log extends the head QC now holds: not flagged again, though doctor keeps the record.
        try a.clinic.ok(["note", "show", note, "--as", "jdoe"])
        let third = try b.clinic.run(["sync", "import", try a.export(for: "QC").file, "--json"])
        #expect(third.status == 0 && third.json["audit_rewound"] as? Bool == false, "\(third.stdout)\(third.stderr)")
        #expect(doctorFinding(try b.clinic.run(["doctor", "--json"]), "audit-rewound")?["ok"] as? Bool == false)
    }

    /// Each change is made on its own copy of a healthy site, as a tool other than clinic could.
    @Test("doctor names a dropped or altered trigger, change capture left switched off, and the end of the audit log cut off")
    func doctorFindsTampering() throws {
        let site = try montrealSite()
        try site.clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--as", "jdoe"])
        let healthy = try site.clinic.run(["doctor", "--json"])
        #expect(healthy.status == 0, "\(healthy.stdout)")
        for finding in ["schema", "capture", "audit-length", "audit-rewound"] {
            #expect(doctorFinding(healthy, finding)?["ok"] as? Bool == true, "\(finding): \(healthy.stdout)")
        }
        let cases: [(label: String, change: (Database) throws -> Void, finding: String, says: String)] = [
            ("capture trigger dropped", { try $0.execute("DROP TRIGGER capture_appointment_status") }, "schema",
             "missing trigger: capture_appointment_status"),
            ("guard trigger altered", { db in
                try db.execute("DROP TRIGGER audit_no_delete")
                try db.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END")
            }, "schema", "altered: audit_no_delete"),
            ("capture left off", { try $0.execute("UPDATE sync_state SET applying = 1") }, "capture", "switched off"),
            ("audit end cut off", { db in
                let guardSQL = try #require(try db.first("SELECT sql FROM sqlite_schema WHERE name = 'audit_no_delete'")?.string(0))
                try db.execute("DROP TRIGGER audit_no_delete")
                try db.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)")
                try db.execute(guardSQL)
            }, "audit-length", "were removed"),
        ]
        for (label, change, code, says) in cases {
            let copy = ClinicProcess()
            try copyDatabase(from: site.clinic.database, to: copy.database)
            try change(try Database(path: copy.database, create: false))
            let result = try copy.run(["doctor", "--json"])
            #expect(result.status == 1, "\(label): \(result.stdout)\(result.stderr)")
            let finding = doctorFinding(result, code)
            #expect(finding?["ok"] as? Bool == false && (finding?["message"] as? String ?? "").contains(says), "\(label): \(result.stdout)")
        }
    }
}
