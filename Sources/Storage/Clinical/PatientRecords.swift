import Models

/// Precautions and consent events of a patient: clinical data, recorded by clinicians and audited.
public struct PatientRecords {
    let session: AuditedSession

    public init(_ session: AuditedSession) { self.session = session }

    /// Adds or removes a precaution (`pregnancy`, `lymphoedema:left-arm`…); returns the active list.
    public func setPrecaution(chart: String, precaution: Precaution, active: Bool) throws -> [Precaution] {
        try session.run(.precautionRecord, entity: "precaution", locate: AuditedSession.Subject.patient(chart: chart)) { db, actor, subject in
            let patient = try PatientRepository(db).require(chart: chart)
            subject.patientID = patient.id
            let current = try Self.precautions(db, patientID: patient.id)
            if active, !current.contains(precaution) {
                let id = UUIDv7.string(at: Instant.date(session.now))
                subject.entityID = id
                try db.execute("INSERT INTO precaution (id, patient_id, code, active, recorded_by, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
                               [id, patient.id, precaution.code, actor.id, session.now, session.now])
            } else if !active {
                guard current.contains(precaution) else {
                    throw ClinicError.notFound("active precaution \(precaution.code)")
                }
                try db.execute("UPDATE precaution SET active = 0, updated_at = ? WHERE patient_id IN (\(PatientRepository.samePerson)) AND code = ? AND active = 1",
                               [session.now, patient.id, precaution.code])
            }
            return try Self.precautions(db, patientID: patient.id)
        }
    }

    static func precautions(_ db: Database, patientID: String) throws -> [Precaution] {
        try db.query("SELECT DISTINCT code FROM precaution WHERE patient_id IN (\(PatientRepository.samePerson)) AND active = 1 ORDER BY code", [patientID])
            .compactMap { try? Precaution.parse($0.string(0)) }
    }

    /// Records consent given for an intervention, with the risks explained and a guardian for a minor.
    public func recordConsent(chart: String, intervention: Intervention, risks: String, guardian: String?, date: CivilDate) throws -> String {
        try session.run(.consentRecord, entity: "consent", locate: AuditedSession.Subject.patient(chart: chart)) { db, actor, subject in
            let patient = try PatientRepository(db).require(chart: chart)
            subject.patientID = patient.id
            try ConsentRules.validateRecord(on: date, dateOfBirth: patient.dateOfBirth, guardian: guardian, risks: risks)
            let id = UUIDv7.string(at: Instant.date(session.now))
            subject.entityID = id
            try db.execute("""
                INSERT INTO consent (id, patient_id, intervention, action, date, guardian, risks, recorded_by, created_at)
                VALUES (?, ?, ?, 'given', ?, ?, ?, ?, ?)
                """, [id, patient.id, intervention.rawValue, date.description, guardian, risks, actor.id, session.now])
            return id
        }
    }

    /// Records a withdrawal; the consent it ends stays on file.
    public func withdrawConsent(chart: String, intervention: Intervention, date: CivilDate) throws -> String {
        try session.run(.consentWithdraw, entity: "consent", locate: AuditedSession.Subject.patient(chart: chart)) { db, actor, subject in
            let patient = try PatientRepository(db).require(chart: chart)
            subject.patientID = patient.id
            let events = try Self.consents(db, patientID: patient.id)
            guard ConsentRules.isValid(for: intervention, on: date, events: events, dateOfBirth: CivilDate(daysSinceEpoch: 0)) else {
                throw ClinicError(.noConsent, "there is no \(intervention.rawValue) consent in force on \(date) to withdraw")
            }
            let id = UUIDv7.string(at: Instant.date(session.now))
            subject.entityID = id
            try db.execute("""
                INSERT INTO consent (id, patient_id, intervention, action, date, recorded_by, created_at)
                VALUES (?, ?, ?, 'withdrawn', ?, ?, ?)
                """, [id, patient.id, intervention.rawValue, date.description, actor.id, session.now])
            return id
        }
    }

    /// The active precautions and the consents on file, for a clinician's view of the chart.
    static func summary(_ db: Database, patientID: String) throws -> ClinicalSummary {
        ClinicalSummary(precautions: try precautions(db, patientID: patientID),
                        consents: ConsentStanding.standing(of: try consents(db, patientID: patientID)))
    }

    static func consents(_ db: Database, patientID: String) throws -> [ConsentEvent] {
        try db.query("SELECT intervention, action, date, guardian FROM consent WHERE patient_id IN (\(PatientRepository.samePerson)) ORDER BY date, created_at", [patientID])
            .compactMap { row in
                guard let intervention = Intervention(rawValue: row.string(0)), let action = ConsentEvent.Action(rawValue: row.string(1)),
                      let date = CivilDate.parse(row.string(2)) else { return nil }
                return ConsentEvent(intervention: intervention, action: action, date: date, guardian: row.optionalString(3))
            }
    }
}
