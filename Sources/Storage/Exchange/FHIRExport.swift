import Models

/// Reads what a FHIR export holds, as one audited read of clinical data: the front desk is
/// refused (`forbidden`) and every exported patient gets an `fhir-export` audit entry.
public struct FHIRExport {
    let session: AuditedSession

    public init(_ session: AuditedSession) { self.session = session }

    /// One patient's bundle source (by chart number), or every patient's when `chart` is nil.
    /// `progress` hears how many patients have been read.
    public func source(chart: String?, progress: ProgressReport? = nil) throws -> FHIRSource {
        try session.run(.fhirExport, entity: chart == nil ? "site" : "patient", locate: chart.map(AuditedSession.Subject.patient(chart:))) { db, actor, subject in
            let patients: [Patient]
            if let chart {
                let patient = try PatientRepository(db).require(chart: chart)
                subject.patientID = patient.id
                subject.entityID = patient.id
                patients = [patient]
            } else {
                patients = try db.query("SELECT \(PatientRepository.columns) FROM patient WHERE id NOT IN (SELECT id FROM patient_alias) ORDER BY chart").map(PatientRepository.patient)
            }
            if chart == nil {
                for patient in patients {
                    try AuditLog(db).append(at: session.now, actor: actor.handle, action: Action.fhirExport.rawValue, entity: "patient",
                                            entityID: patient.id, patientID: patient.id, outcome: AuditedSession.done)
                }
            }
            return try load(db, patients: patients, all: chart == nil, progress: progress)
        }
    }

    func load(_ db: Database, patients: [Patient], all: Bool, progress: ProgressReport? = nil) throws -> FHIRSource {
        let patientIDs = Set(patients.map(\.id))
        let site = try SiteRepository(db).local()
        var appointments: [Appointment] = []
        var sessions: [FHIRSource.Session] = []
        var consents: [FHIRSource.ConsentRecord] = []
        var spans: [String: TimeSpan] = [:]
        for (index, patient) in patients.enumerated() {
            let own = try db.query(AppointmentRecord.select + " WHERE a.patient_id IN (\(PatientRepository.samePerson)) ORDER BY a.start_ms", [patient.id])
                .map { row -> Appointment in
                    // A merged chart's rows are the kept chart's (`patient merge`).
                    var appointment = AppointmentRecord(row).appointment
                    appointment.patientID = patient.id
                    return appointment
                }
            appointments += own
            for appointment in own where spans[appointment.id] == nil { spans[appointment.id] = appointment.span }
            consents += try consentRecords(db, patientID: patient.id)
            // A note is written from one of its patient's own appointments, so its span is among them.
            for row in try db.query("SELECT id, signed_content FROM note WHERE patient_id IN (\(PatientRepository.samePerson)) AND status = 'signed' ORDER BY session_date, created_at", [patient.id]) {
                let note = try Notes.load(db, id: row.string(0))
                guard let span = spans[note.appointmentID] else { continue }
                var exported = FHIRSource.Session(
                    noteID: note.id, appointmentID: note.appointmentID, patientID: patient.id, authorID: note.authorID, span: span,
                    painBefore: note.painBefore, painAfter: note.painAfter, needling: note.needling.map(\.entry),
                    needlesRemoved: note.needlesRemoved,
                    adverseEvents: note.adverseEvents.map { FHIRSource.StoredEvent(id: $0.id, kind: $0.kind, detail: $0.detail, at: $0.at) },
                    signedAt: note.signedAt)
                exported.signature = try Self.signature(db, row.optionalString(1), signer: note.signedBy)
                sessions.append(exported)
            }
            progress?(index + 1, patients.count)
        }
        let staffRepository = StaffRepository(db)
        let referencedStaff = Set(appointments.map(\.practitionerID) + sessions.map(\.authorID))
        let staff = try staffRepository.all().filter { all ? $0.isClinician || referencedStaff.contains($0.id) : referencedStaff.contains($0.id) }
            .map { FHIRSource.StaffMember(practitioner: $0, credentials: try staffRepository.credentials(staffID: $0.id)) }
        let serviceIDs = Set(appointments.map(\.serviceID))
        let services = try db.query("SELECT \(ServiceRepository.columns) FROM service ORDER BY slug").map(ServiceRepository.service)
            .filter { all || serviceIDs.contains($0.id) }
        // One patient's bundle holds the rooms of their appointments; each room is at its own site, which
        // (as Organization and Location) the bundle holds too.
        let roomIDs = Set(appointments.map(\.roomID))
        let rooms = try RoomRepository(db).all().filter { all || roomIDs.contains($0.id) }
        let siteIDs = Set(rooms.map(\.siteID))
        let sites = try SiteRepository(db).all().filter { siteIDs.contains($0.id) }
        return FHIRSource(site: site, rooms: rooms, staff: staff, services: services,
                          patients: patients.filter { patientIDs.contains($0.id) }, appointments: appointments,
                          sessions: sessions, consents: consents, sites: sites)
    }

    /// Each consent given, with the date of the first withdrawal on or after it.
    func consentRecords(_ db: Database, patientID: String) throws -> [FHIRSource.ConsentRecord] {
        let rows = try db.query("""
            SELECT id, intervention, action, date, guardian, recorded_by FROM consent WHERE patient_id IN (\(PatientRepository.samePerson)) ORDER BY date, created_at
            """, [patientID])
        return rows.compactMap { row in
            guard row.string(2) == "given", let intervention = Intervention(rawValue: row.string(1)),
                  let date = CivilDate.parse(row.string(3)) else { return nil }
            let withdrawn = rows.filter { $0.string(2) == "withdrawn" && $0.string(1) == row.string(1) }
                .compactMap { CivilDate.parse($0.string(3)) }.filter { $0 >= date }.min()
            return FHIRSource.ConsentRecord(id: row.string(0), patientID: patientID, intervention: intervention, date: date,
                                            guardian: row.optionalString(4), withdrawn: withdrawn, recordedByID: row.string(5))
        }
    }

    /// A note's Ed25519 signature as FHIR's Provenance carries it; nil for a hash-only note.
    static func signature(_ db: Database, _ signedContent: String?, signer: String?) throws -> FHIRSource.SignatureData? {
        guard let signer, let signedContent, let stored = ClinicalSignatures.split(signedContent),
              let keyID = stored.members["key"]?.stringValue, let key = try SigningKeys(db).publicKey(keyID) else { return nil }
        return FHIRSource.SignatureData(signerID: signer, keyID: keyID, publicKey: key.publicKey, value: stored.signature,
                                        documentSHA256: SHA256Hex.of(stored.document))
    }
}
