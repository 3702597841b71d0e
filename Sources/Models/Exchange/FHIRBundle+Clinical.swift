extension FHIRBundle {
    /// Encounters for visits that happened, then per signed session its Procedure (when needles
    /// were used), NPRS Observations and AdverseEvents, then Consents.
    func clinicalResources() -> [JSONValue] {
        var resources: [JSONValue] = []
        let sessionsByAppointment = Dictionary(source.sessions.map { ($0.appointmentID, $0) }, uniquingKeysWith: { first, _ in first })
        for appointment in source.appointments {
            let session = sessionsByAppointment[appointment.id]
            guard session != nil || appointment.status == .completed || appointment.status == .checkedIn else { continue }
            resources.append(encounter(appointment))
            guard let session else { continue }
            let encounterID = Self.encounterID(appointment.id)
            let procedureID: String? = session.needling.isEmpty ? nil : session.noteID
            if procedureID != nil { resources.append(procedure(session, encounterID: encounterID)) }
            for (tag, value, at, label) in [("nprs-before", session.painBefore, session.span.start, "before treatment"),
                                            ("nprs-after", session.painAfter, session.span.end, "after treatment")] {
                guard let value else { continue }
                resources.append(painObservation(session, tag: tag, value: value, at: at, label: label,
                                                 encounterID: encounterID, procedureID: procedureID))
            }
            resources += session.adverseEvents.map { adverseEvent($0, session: session, encounterID: encounterID, procedureID: procedureID) }
            if let provenance = provenance(session, encounterID: encounterID, procedureID: procedureID) { resources.append(provenance) }
        }
        resources += source.consents.map(consent)
        return resources
    }

    static func encounterID(_ appointmentID: String) -> String { derivedID(appointmentID, "encounter") }

    /// "Dry needling", "Acupuncture" or both, from the sites recorded.
    public static func modality(_ entries: [NeedlingEntry]) -> [Intervention] {
        var list: [Intervention] = []
        if entries.contains(where: { $0.point != nil }) { list.append(.acupuncture) }
        if entries.contains(where: { $0.muscle != nil }) { list.append(.dryNeedling) }
        return list
    }

    /// "LI4 (bilateral) ×2; upper trapezius (right) ×1, e-stim 2Hz,15m".
    public static func needleSummary(_ entries: [NeedlingEntry], removed: Int) -> String {
        let sites = entries.map { entry -> String in
            var text = "\(entry.siteName) (\(entry.side.rawValue)) ×\(entry.count)"
            if let stim = entry.electroStim { text += ", e-stim \(stim.description)" }
            return text
        }
        let inserted = NoteSigning.needlesInserted(entries)
        return "Needles inserted: \(inserted); removed: \(removed). Sites: " + sites.joined(separator: "; ")
    }

    func encounter(_ appointment: Appointment) -> JSONValue {
        let service = source.services.first { $0.id == appointment.serviceID }
        var members: [String: JSONValue] = [
            "resourceType": .string("Encounter"), "id": .string(Self.encounterID(appointment.id)),
            "status": .string(appointment.status == .checkedIn ? "in-progress" : "finished"),
            "class": Self.coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
            "subject": Self.reference(appointment.patientID),
            "participant": .array([.object(["individual": Self.reference(appointment.practitionerID)])]),
            "appointment": .array([Self.reference(appointment.id)]),
            "period": .object(["start": .string(Instant.iso(appointment.span.start)), "end": .string(Instant.iso(appointment.span.end))]),
            "location": .array([.object(["location": Self.reference(appointment.roomID)])]),
        ]
        if let service {
            members["serviceType"] = Self.concept([Self.coding(System.service, service.slug)], text: service.name)
        }
        return .object(members)
    }

    func procedure(_ session: FHIRSource.Session, encounterID: String) -> JSONValue {
        let modalities = Self.modality(session.needling)
        let names = modalities.map { $0 == .acupuncture ? "Acupuncture" : "Dry needling" }
        let bodySites = session.needling.map { entry -> JSONValue in
            let coding = entry.point.map { Self.coding(System.acupoint, $0.code, $0.name) }
                ?? entry.muscle.map { Self.coding(System.muscle, $0.code, $0.name) }
            return Self.concept(coding.map { [$0] } ?? [], text: "\(entry.siteName) (\(entry.side.rawValue))")
        }
        return .object([
            "resourceType": .string("Procedure"), "id": .string(session.noteID), "status": .string("completed"),
            "code": Self.concept(modalities.map { Self.coding(System.intervention, $0.rawValue) }, text: names.joined(separator: " and ")),
            "subject": Self.reference(session.patientID),
            "encounter": Self.reference(encounterID),
            "performedPeriod": .object(["start": .string(Instant.iso(session.span.start)), "end": .string(Instant.iso(session.span.end))]),
            "performer": .array([.object(["actor": Self.reference(session.authorID)])]),
            "bodySite": .array(bodySites),
            "note": .array([.object(["text": .string(Self.needleSummary(session.needling, removed: session.needlesRemoved))])]),
        ])
    }

    /// The clinician's signature of a signed note: `signature.data` is the Ed25519 signature of
    /// `clinic-signed-document:sha256:<hex>`, the hex being the `signed-document-sha256` extension,
    /// made with the key named and given in the `signing-key` and `signing-public-key` extensions.
    func provenance(_ session: FHIRSource.Session, encounterID: String, procedureID: String?) -> JSONValue? {
        guard let signature = session.signature, let signedAt = session.signedAt else { return nil }
        let when = JSONValue.string(Instant.iso(signedAt))
        var targets = [Self.reference(encounterID)]
        if let procedureID { targets.append(Self.reference(procedureID)) }
        return .object([
            "resourceType": .string("Provenance"), "id": .string(Self.derivedID(session.noteID, "provenance")),
            "target": .array(targets),
            "recorded": when,
            "agent": .array([.object([
                "type": Self.concept([Self.coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")], text: "Author"),
                "who": Self.reference(signature.signerID),
            ])]),
            "signature": .array([.object([
                "type": .array([Self.coding("urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.1", "Author's Signature")]),
                "when": when,
                "who": Self.reference(signature.signerID),
                "targetFormat": .string("application/json"),
                "sigFormat": .string("application/octet-stream"),
                "data": .string(signature.value),
                "extension": .array([
                    .object(["url": .string(System.signingKey), "valueString": .string(signature.keyID)]),
                    .object(["url": .string(System.signingPublicKey), "valueBase64Binary": .string(signature.publicKey)]),
                    .object(["url": .string(System.signedDocument), "valueString": .string(signature.documentSHA256)]),
                ]),
            ])]),
        ])
    }

    func painObservation(_ session: FHIRSource.Session, tag: String, value: Int, at: Int64, label: String,
                         encounterID: String, procedureID: String?) -> JSONValue {
        var members: [String: JSONValue] = [
            "resourceType": .string("Observation"), "id": .string(Self.derivedID(session.noteID, tag)), "status": .string("final"),
            "category": .array([Self.concept([Self.coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")], text: nil)]),
            "code": Self.concept([Self.coding(System.loinc, Self.nprsLOINC, "Pain severity - 0-10 verbal numeric rating [Score] - Reported")],
                                 text: "NPRS \(label)"),
            "subject": Self.reference(session.patientID),
            "encounter": Self.reference(encounterID),
            "effectiveDateTime": .string(Instant.iso(at)),
            "performer": .array([Self.reference(session.authorID)]),
            "valueInteger": .integer(Int64(value)),
            "note": .array([.object(["text": .string("Pain (NPRS 0–10) \(label)")])]),
        ]
        if let procedureID { members["partOf"] = .array([Self.reference(procedureID)]) }
        return .object(members)
    }

    func adverseEvent(_ event: FHIRSource.StoredEvent, session: FHIRSource.Session, encounterID: String, procedureID: String?) -> JSONValue {
        var members: [String: JSONValue] = [
            "resourceType": .string("AdverseEvent"), "id": .string(event.id), "actuality": .string("actual"),
            "event": Self.concept([Self.coding(System.adverseEvent, event.kind.rawValue)], text: event.detail),
            "subject": Self.reference(session.patientID),
            "encounter": Self.reference(encounterID),
            "date": .string(Instant.iso(event.at)),
            "recorder": Self.reference(session.authorID),
        ]
        if event.kind == .pneumothorax || event.kind == .forgottenNeedle || event.kind == .infection {
            members["seriousness"] = Self.concept([Self.coding("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "serious", "Serious")], text: nil)
        }
        if let procedureID { members["suspectEntity"] = .array([.object(["instance": Self.reference(procedureID)])]) }
        return .object(members)
    }

    func consent(_ record: FHIRSource.ConsentRecord) -> JSONValue {
        let name = record.intervention == .acupuncture ? "Acupuncture" : record.intervention == .dryNeedling ? "Dry needling" : "Electrical stimulation"
        var period: [String: JSONValue] = ["start": .string(record.date.description)]
        if let withdrawn = record.withdrawn { period["end"] = .string(withdrawn.description) }
        let performer: JSONValue = record.guardian.map { .object(["display": .string("Guardian: " + $0)]) } ?? Self.reference(record.patientID)
        return .object([
            "resourceType": .string("Consent"), "id": .string(record.id),
            "status": .string(record.withdrawn == nil ? "active" : "inactive"),
            "scope": Self.concept([Self.coding("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment")], text: nil),
            "category": .array([Self.concept([Self.coding(System.loinc, "59284-0", "Patient Consent")], text: nil)]),
            "patient": Self.reference(record.patientID),
            "dateTime": .string(record.date.description),
            "performer": .array([performer]),
            "policyRule": Self.concept([], text: "Informed consent to \(name.lowercased()), risks explained"),
            "provision": .object([
                "type": .string("permit"), "period": .object(period),
                "code": .array([Self.concept([Self.coding(System.intervention, record.intervention.rawValue)], text: name)]),
            ]),
        ])
    }
}
