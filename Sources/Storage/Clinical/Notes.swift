import Models

/// What clinicians do after a session: start a note, write it, record needling, sign, amend.
/// Every call is audited through its `AuditedSession`.
public struct Notes {
    let session: AuditedSession

    public init(_ session: AuditedSession) { self.session = session }

    /// Starts the draft note of one of the actor's own appointments that is not cancelled.
    public func start(appointment text: String) throws -> NoteRecord {
        try started(appointment: text).note
    }

    /// Starts the draft note as `start` does, with the patient's active precautions and consents,
    /// which a clinician should have in mind before needling.
    public func started(appointment text: String) throws -> (note: NoteRecord, clinical: ClinicalSummary) {
        try session.run(.noteStart, entity: "note", locate: AuditedSession.Subject.appointment(text)) { db, actor, subject in
            let appointment = try Scheduler(db).resolve(text)
            subject.patientID = appointment.appointment.patientID
            try ClinicalAccess.requireAuthor(actor, authorID: appointment.appointment.practitionerID)
            guard appointment.appointment.status != .cancelled else {
                throw ClinicError(.invalidTransition, "a cancelled appointment cannot have a session note")
            }
            if let existing = try db.first("SELECT id FROM note WHERE appointment_id = ?", [appointment.id]) {
                throw ClinicError(.duplicate, "this appointment already has note \(IDSuffix.short(existing.string(0)))")
            }
            let noteSession = NoteSession(appointment: appointment.appointment, zone: try SiteRepository(db).zone())
            let id = UUIDv7.string(at: Instant.date(session.now))
            subject.entityID = id
            try db.execute("""
                INSERT INTO note (id, appointment_id, patient_id, author_id, session_date, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [id, appointment.id, appointment.appointment.patientID, actor.id, noteSession.date.description, session.now, session.now])
            return (try Self.load(db, id: id), try PatientRecords.summary(db, patientID: appointment.appointment.patientID))
        }
    }

    /// The fields `note edit` may change; nil leaves a field as it is.
    public struct Edit: Sendable {
        public var sections: [SOAPSection: String] = [:]
        public var painBefore: Int?
        public var painAfter: Int?
        public var psfs: Double?
        public var ndi: Int?
        public var odi: Int?

        public init() {}

        public var isEmpty: Bool {
            sections.isEmpty && painBefore == nil && painAfter == nil && psfs == nil && ndi == nil && odi == nil
        }

        /// Each measure within its scale (NPRS 0–10, PSFS 0–10, NDI 0–50, ODI 0–100); 64 `out-of-range` names the option.
        public func validate() throws {
            for (measure, value, option) in [(OutcomeMeasure.nprs, painBefore.map(Double.init), ClinicField.painBefore),
                                             (.nprs, painAfter.map(Double.init), ClinicField.painAfter), (.psfs, psfs, ClinicField.psfs),
                                             (.ndi, ndi.map(Double.init), ClinicField.ndi), (.odi, odi.map(Double.init), ClinicField.odi)] {
                if let value { try measure.validate(value, field: option) }
            }
        }
    }

    /// Changes a draft's SOAP text and measures; a signed note is refused (`note-signed`), a measure off its scale too.
    public func edit(_ text: String, _ edit: Edit) throws -> NoteRecord {
        try edit.validate()
        return try writeDraft(text, action: .noteEdit) { db, _, note, _ in
            for (section, value) in edit.sections {
                try PlainText.require(value, field: section.field, layout: .multiLine)
            }
            for (section, value) in edit.sections {
                try db.execute("UPDATE note SET \(section.rawValue) = ?, updated_at = ? WHERE id = ?", [value, session.now, note.id])
            }
            let measures: [(String, SQLValue?)] = [
                ("pain_before", edit.painBefore.map { .integer(Int64($0)) }), ("pain_after", edit.painAfter.map { .integer(Int64($0)) }),
                ("psfs", edit.psfs.map { .real($0) }), ("ndi", edit.ndi.map { .integer(Int64($0)) }), ("odi", edit.odi.map { .integer(Int64($0)) }),
            ]
            for (column, value) in measures {
                if let value {
                    try db.execute("UPDATE note SET \(column) = ?, updated_at = ? WHERE id = ?", [value, session.now, note.id])
                }
            }
        }
    }

    /// Adds one needle site; refuses `not-qualified` when the practitioner lacks the scope on the appointment's current date.
    public func needle(_ text: String, _ entry: NeedlingEntry) throws -> NoteRecord {
        try entry.validate()
        return try writeDraft(text, action: .noteNeedle) { db, actor, note, noteSession in
            let credentials = try StaffRepository(db).credentials(staffID: actor.id)
            for scope in entry.requiredScopes {
                try BookingRules.requireScope(scope, handle: actor.handle, credentials: credentials, on: noteSession.date)
            }
            let e = entry
            try db.execute("""
                INSERT INTO needling (id, note_id, point, muscle, side, gauge_mm, length_mm, depth_mm, technique, retention_min,
                                      estim_hz, estim_min, count, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [UUIDv7.string(at: Instant.date(session.now)), note.id, e.point?.code, e.muscle?.name, e.side.rawValue,
                      e.gaugeMillimetres, e.lengthMillimetres, e.depthMillimetres, e.technique?.rawValue, e.retentionMinutes,
                      e.electroStim?.frequencyHz, e.electroStim?.minutes, e.count, session.now])
        }
    }

    /// Removes a mis-entered needle site from a draft (`ENTRY`: the site's id, its last 8+ hex digits, or its
    /// 1-based position as `note show` lists it); a signed note is refused (`note-signed`). The site stays on
    /// file with a synced removal, so every site hides it; signing then leaves it out.
    public func removeNeedle(_ text: String, entry: String) throws -> NoteRecord {
        try writeDraft(text, action: .noteNeedle) { db, actor, note, _ in
            let sites = note.needling
            let typed = entry.trimmingCharacters(in: .whitespaces).lowercased()
            let chosen: StoredNeedling?
            if typed.count <= 3, let position = Int(typed) {
                chosen = sites.indices.contains(position - 1) ? sites[position - 1] : nil
            } else {
                let matches = IDSuffix.normalise(typed).map { hex in sites.filter { $0.id.lowercased().filter { $0 != "-" }.hasSuffix(hex) } } ?? []
                chosen = matches.count == 1 ? matches.first : nil
            }
            guard let chosen else {
                throw ClinicError(.notFound, sites.isEmpty ? "this note has no needle sites to remove"
                                 : "this note has no needle site \(entry): give its position (1–\(sites.count)) as 'note show' lists it, or its id")
            }
            try db.execute("INSERT INTO needling_removal (id, needling_id, note_id, removed_by, created_at) VALUES (?, ?, ?, ?, ?)",
                           [UUIDv7.string(at: Instant.date(session.now)), chosen.id, note.id, actor.id, session.now])
        }
    }

    /// Sets the total of needles removed (not an increment).
    public func needlesRemoved(_ text: String, count: Int) throws -> NoteRecord {
        guard (0...1000).contains(count) else { throw ClinicError(.outOfRange, "\(.needleCount) must be 0–1000") }
        return try writeDraft(text, action: .noteNeedlesRemoved) { db, _, note, _ in
            try db.execute("UPDATE note SET needles_removed = ?, updated_at = ? WHERE id = ?", [count, session.now, note.id])
        }
    }

    /// Records an adverse event against a draft (after signing, use an amendment).
    public func adverse(_ text: String, kind: AdverseEventKind, detail: String) throws -> NoteRecord {
        guard !detail.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.detailRequired, "\(.detail) must describe the event")
        }
        return try writeDraft(text, action: .noteAdverse) { db, _, note, _ in
            try PlainText.require(detail, field: .detail)
            try db.execute("INSERT INTO adverse_event (id, note_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?)",
                           [UUIDv7.string(at: Instant.date(session.now)), note.id, kind.rawValue, detail, session.now])
        }
    }

    /// Signs a draft when its session has started and consent, needle counts, scope and contraindications
    /// allow, all checked against the appointment as it now stands; locks it with its hash. The note takes
    /// the appointment's current date and practitioner, so the signature records the session signed for.
    ///
    /// Signing is a deliberate act: the signer's passphrase is asked again (even inside a session) and
    /// unseals their Ed25519 key, made here on their first signature.
    public func sign(_ text: String, acknowledge: Set<String>, passphrase: () throws -> String?) throws -> NoteRecord {
        let secrets = try session.signingSecrets(.noteSign, passphrase: passphrase)
        return try writeDraft(text, action: .noteSign) { db, actor, note, noteSession in
            guard let patient = try PatientRepository(db).byID(note.patientID) else { throw ClinicError.notFound("patient") }
            let context = SigningContext(
                session: noteSession, now: session.now, dateOfBirth: patient.dateOfBirth, entries: note.needling.map(\.entry),
                needlesRemoved: note.needlesRemoved, consents: try PatientRecords.consents(db, patientID: patient.id),
                signerCredentials: try StaffRepository(db).credentials(staffID: actor.id),
                precautions: try PatientRecords.precautions(db, patientID: patient.id), acknowledged: acknowledge)
            try NoteSigning.check(context, signer: actor.handle)
            var signed = note
            signed.authorID = noteSession.practitionerID
            signed.sessionDate = noteSession.date
            signed.status = .signed
            signed.signedBy = actor.id
            signed.signedAt = session.now
            let findings = Set(ContraindicationRules.findings(precautions: context.precautions, sites: context.entries.map(\.site)).map(\.rule))
            signed.acknowledged = acknowledge.filter(findings.contains).sorted()
            let hash = signed.computedHash
            let key = try SigningKeys(db).current(staffID: actor.id, secrets: secrets, now: session.now)
            let content = try ClinicalSignatures.signedContent(of: signed, signer: actor.handle, key: key)
            // Sites removed from the draft go now, so the rows of a signed note are the ones its signature covers.
            try db.execute("DELETE FROM needling WHERE note_id = ? AND id IN (SELECT needling_id FROM needling_removal WHERE note_id = ?)",
                           [note.id, note.id])
            try db.execute("""
                UPDATE note SET author_id = ?, session_date = ?, status = 'signed', signed_by = ?, signed_at = ?, content_hash = ?,
                                acknowledged = ?, signed_content = ?, updated_at = ?
                WHERE id = ?
                """, [signed.authorID, signed.sessionDate.description, actor.id, session.now, hash, signed.acknowledged.joined(separator: ","),
                      content, session.now, note.id])
        }
    }

    /// Appends a dated amendment to a signed note, by its author, carrying the note's hash.
    public func amend(_ text: String, with amendment: String, passphrase: () throws -> String?) throws -> NoteRecord {
        guard !amendment.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.textRequired, "\(.amendment) must hold the amendment")
        }
        let secrets = try session.signingSecrets(.noteAmend, passphrase: passphrase)
        return try session.run(.noteAmend, entity: "note", locate: AuditedSession.Subject.note(text)) { db, actor, subject in
            let note = try Self.load(db, id: try db.resolveID(table: "note", text, what: "note"))
            subject.entityID = note.id
            subject.patientID = note.patientID
            try ClinicalAccess.requireAuthor(actor, authorID: note.authorID)
            try PlainText.require(amendment, field: .amendment, layout: .multiLine)
            guard note.status == .signed, let amends = note.contentHash else {
                throw ClinicError(.noteNotSigned, "this note is still a draft: edit it instead of amending")
            }
            let id = UUIDv7.string(at: Instant.date(session.now))
            let hash = StoredAmendment.hash(id: id, noteID: note.id, authorID: actor.id, text: amendment, amendsHash: amends, at: session.now)
            try db.execute("""
                INSERT INTO amendment (id, note_id, author_id, text, amends_hash, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [id, note.id, actor.id, amendment, amends, hash, session.now])
            let key = try SigningKeys(db).current(staffID: actor.id, secrets: secrets, now: session.now)
            let stored = StoredAmendment(id: id, authorHandle: actor.handle, authorID: actor.id, text: amendment, amendsHash: amends,
                                         contentHash: hash, at: session.now)
            let document = ClinicalSignatures.document(of: stored, noteID: note.id, signer: actor.handle, keyID: key.keyID)
            try db.execute("""
                INSERT INTO amendment_signature (id, amendment_id, signer_id, key_id, signed_at, document, signature) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [UUIDv7.string(at: Instant.date(session.now)), id, actor.id, key.keyID, session.now, document,
                      try key.sign(ClinicianKeys.message(signing: document))])
            return try Self.load(db, id: note.id)
        }
    }

    /// Reads a note (audited); only clinicians read clinical content (`forbidden`).
    public func show(_ text: String) throws -> NoteRecord {
        try session.run(.noteRead, entity: "note", locate: AuditedSession.Subject.note(text)) { db, _, subject in
            let note = try Self.load(db, id: try db.resolveID(table: "note", text, what: "note"))
            subject.entityID = note.id
            subject.patientID = note.patientID
            return note
        }
    }

    /// Runs a change on a draft of one of the actor's appointments as it now stands (`forbidden` for
    /// anybody else, the practitioner it was moved from included), refusing a signed note with `note-signed`.
    func writeDraft(_ text: String, action: Action, _ change: (Database, Actor, NoteRecord, NoteSession) throws -> Void) throws -> NoteRecord {
        try session.run(action, entity: "note", locate: AuditedSession.Subject.note(text)) { db, actor, subject in
            let note = try Self.load(db, id: try db.resolveID(table: "note", text, what: "note"))
            subject.entityID = note.id
            subject.patientID = note.patientID
            let noteSession = try Self.currentSession(db, of: note)
            try ClinicalAccess.requireAuthor(actor, authorID: noteSession.practitionerID)
            guard note.status == .draft else {
                throw ClinicError(.noteSigned, "this note is signed and cannot be changed; use 'note amend'")
            }
            try change(db, actor, note, noteSession)
            return try Self.load(db, id: note.id)
        }
    }

    /// The session of a note's appointment as it stands now (its date in the site's zone).
    static func currentSession(_ db: Database, of note: NoteRecord) throws -> NoteSession {
        let appointment = try Scheduler(db).record(id: note.appointmentID).appointment
        return NoteSession(appointment: appointment, zone: try SiteRepository(db).zone())
    }
}
