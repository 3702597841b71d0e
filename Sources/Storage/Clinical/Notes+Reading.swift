import Models

extension Notes {
    static func load(_ db: Database, id: String) throws -> NoteRecord {
        guard let row = try db.first("""
            SELECT id, appointment_id, patient_id, author_id, session_date, subjective, objective, assessment, plan,
                   pain_before, pain_after, psfs, ndi, odi, needles_removed, status, signed_by, signed_at, content_hash, acknowledged,
                   signed_content
            FROM note WHERE id = ?
            """, [id]) else { throw ClinicError.notFound("note") }
        // A draft hides the sites removed from it; a signed note shows what its signature covers, whatever arrives later.
        let needling = try db.query("""
            SELECT id, point, muscle, side, gauge_mm, length_mm, depth_mm, technique, retention_min, estim_hz, estim_min, count
            FROM needling g WHERE note_id = ?
              AND NOT (? = 'draft' AND EXISTS (SELECT 1 FROM needling_removal r WHERE r.needling_id = g.id))
            ORDER BY created_at, id
            """, [id, row.string(15)]).map { r in
            StoredNeedling(id: r.string(0), entry: NeedlingEntry(
                point: r.optionalString(1).flatMap { try? AcupointCatalog.point($0) },
                muscle: r.optionalString(2).flatMap { try? MuscleCatalog.muscle($0) },
                side: NeedleSide(rawValue: r.string(3)) ?? .midline, gaugeMillimetres: r.optionalDouble(4),
                lengthMillimetres: r.optionalDouble(5), depthMillimetres: r.optionalDouble(6),
                technique: r.optionalString(7).flatMap(NeedlingTechnique.init(rawValue:)),
                retentionMinutes: r.optionalInt(8).map(Int.init),
                electroStim: r.optionalDouble(9).map { ElectroStim(frequencyHz: $0, minutes: Int(r.optionalInt(10) ?? 0)) },
                count: Int(r.int(11))))
        }
        let adverse = try db.query("SELECT id, kind, detail, created_at FROM adverse_event WHERE note_id = ? ORDER BY created_at, id", [id]).map {
            StoredAdverseEvent(id: $0.string(0), kind: AdverseEventKind(rawValue: $0.string(1)) ?? .other, detail: $0.string(2), at: $0.int(3))
        }
        let amendments = try db.query("""
            SELECT a.id, s.handle, a.author_id, a.text, a.amends_hash, a.content_hash, a.created_at
            FROM amendment a JOIN staff s ON s.id = a.author_id WHERE a.note_id = ? ORDER BY a.created_at, a.id
            """, [id]).map {
            StoredAmendment(id: $0.string(0), authorHandle: $0.string(1), authorID: $0.string(2), text: $0.string(3),
                            amendsHash: $0.string(4), contentHash: $0.string(5), at: $0.int(6))
        }
        var record = NoteRecord(
            id: row.string(0), appointmentID: row.string(1), patientID: row.string(2), authorID: row.string(3),
            sessionDate: CivilDate.parse(row.string(4)) ?? CivilDate(daysSinceEpoch: 0),
            sections: [.subjective: row.string(5), .objective: row.string(6), .assessment: row.string(7), .plan: row.string(8)],
            painBefore: row.optionalInt(9).map(Int.init), painAfter: row.optionalInt(10).map(Int.init), psfs: row.optionalDouble(11),
            ndi: row.optionalInt(12).map(Int.init), odi: row.optionalInt(13).map(Int.init), needlesRemoved: Int(row.int(14)),
            status: NoteStatus(rawValue: row.string(15)) ?? .draft, signedBy: row.optionalString(16), signedAt: row.optionalInt(17),
            contentHash: row.optionalString(18),
            acknowledged: row.string(19).split(separator: ",").map(String.init),
            needling: needling, adverseEvents: adverse, amendments: amendments)
        record.signature = try ClinicalSignatures.check(db, note: record, signedContent: row.optionalString(20))
        for index in record.amendments.indices {
            let check = try ClinicalSignatures.check(db, amendment: record.amendments[index], noteID: id)
            record.amendments[index].signature = check
            record.amendments[index].verified = check.verified && record.amendments[index].amendsHash == record.contentHash
        }
        return record
    }

    /// Every session of a patient in date order, as a clinician reads before the next one (audited).
    public func history(chart: String) throws -> [NoteRecord] {
        try session.run(.notesRead, entity: "patient", locate: AuditedSession.Subject.patient(chart: chart)) { db, _, subject in
            let patient = try PatientRepository(db).require(chart: chart)
            subject.patientID = patient.id
            subject.entityID = patient.id
            return try db.query("SELECT id FROM note WHERE patient_id IN (\(PatientRepository.samePerson)) ORDER BY session_date, created_at", [patient.id])
                .map { try Self.load(db, id: $0.string(0)) }
        }
    }

    /// The actor's own drafts across every patient, oldest session first: the notes still to finish and sign (audited).
    public func unsigned() throws -> [NoteRecord] {
        try session.run(.notesRead, entity: "note") { db, actor, _ in
            try db.query("SELECT id FROM note WHERE author_id = ? AND status = 'draft' ORDER BY session_date, created_at", [actor.id])
                .map { try Self.load(db, id: $0.string(0)) }
        }
    }

    /// One search hit: the note, where the text matched, and a snippet.
    public struct SearchHit: Sendable {
        public var noteID: String
        public var source: String
        public var snippet: String
        public var patientChart: String
        public var sessionDate: String
    }

    /// Full-text search over note text, needle sites and amendments, accents folded, best matches first (audited);
    /// 1 to 500 hits. Each engine searches its own way (`NoteSearch`).
    public func search(_ text: String, limit: Int = 20) throws -> [SearchHit] {
        let terms = try NoteSearch.terms(text)
        let limit = max(1, min(limit, 500))
        return try session.run(.search, entity: "note") { db, _, _ in try NoteSearch.hits(db, terms, limit: limit) }
    }
}
