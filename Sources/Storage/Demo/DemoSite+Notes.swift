import Models

extension DemoSite {
    /// Signed notes for the demo's completed visits: SOAP text, pain before and after, structured
    /// needling for dry-needling and acupuncture sessions, consent first, one amendment.
    /// Each clinician signs with their own key, unsealed with the secrets of the demo passphrase.
    static func writeNotes(in db: Database, zone: SiteTimeZone, secrets: [String: PassphraseSecrets], now: Int64) throws -> Int {
        let completed = try db.query(AppointmentRecord.select + " WHERE a.status = 'completed' ORDER BY a.start_ms").map(AppointmentRecord.init)
        var consented = Set<String>()
        var written = 0
        var random = DemoRandom(seed: 7)
        try precautions(in: db, now: now)
        var sessions: [String: AuditedSession] = [:]
        for record in completed {
            let session = sessions[record.practitionerHandle] ?? AuditedSession(db: db, handle: record.practitionerHandle, now: now)
            if sessions[record.practitionerHandle] == nil, let known = secrets[record.practitionerHandle] {
                session.prove(passphrase: passphrase, secrets: known)
                sessions[record.practitionerHandle] = session
            }
            let notes = Notes(session)
            let note = try notes.start(appointment: record.id)
            let template = templates[record.serviceSlug] ?? templates["physio-30"]
            guard let template else { continue }
            var edit = Notes.Edit()
            edit.sections = [.subjective: template.subjective, .objective: template.objective, .assessment: template.assessment, .plan: template.plan]
            let before = 5 + random.next(4)
            edit.painBefore = before
            edit.painAfter = max(0, before - 1 - random.next(4))
            _ = try notes.edit(note.id, edit)
            if !template.sites.isEmpty {
                let intervention: Intervention = record.serviceSlug == "acu-45" ? .acupuncture : .dryNeedling
                let key = record.patientChart + intervention.rawValue
                if !consented.contains(key) {
                    _ = try PatientRecords(session).recordConsent(chart: record.patientChart, intervention: intervention,
                                                                  risks: "bruising, soreness, fainting, infection, pneumothorax",
                                                                  guardian: nil, date: note.sessionDate)
                    consented.insert(key)
                }
                var inserted = 0
                for site in template.sites {
                    let entry = NeedlingEntry(point: try site.point.map(AcupointCatalog.point), muscle: try site.muscle.map(MuscleCatalog.muscle),
                                              side: site.side, gaugeMillimetres: site.gauge, lengthMillimetres: site.length,
                                              depthMillimetres: site.depth, technique: site.technique, retentionMinutes: site.retention,
                                              count: site.count)
                    _ = try notes.needle(note.id, entry)
                    inserted += site.count
                }
                _ = try notes.needlesRemoved(note.id, count: inserted)
                if written % 5 == 2 {
                    _ = try notes.adverse(note.id, kind: .bruising, detail: "Small bruise at needle site, pressure applied 1 min")
                }
            }
            let loaded = try Notes.load(db, id: note.id)
            let precautions = try PatientRecords.precautions(db, patientID: loaded.patientID)
            let findings = ContraindicationRules.findings(precautions: precautions, sites: loaded.needling.map(\.entry.site)).map(\.rule)
            _ = try notes.sign(note.id, acknowledge: Set(findings), passphrase: { passphrase })
            if written == 1 {
                _ = try notes.amend(note.id, with: "Phoned patient next day: soreness settled, no further concern.", passphrase: { passphrase })
            }
            written += 1
        }
        return written
    }

    static func precautions(in db: Database, now: Int64) throws {
        guard let clinician = try StaffRepository(db).find("mtremblay") else { return }
        let records = PatientRecords(AuditedSession(db: db, handle: clinician.handle, now: now))
        _ = try records.setPrecaution(chart: ChartNumber(siteCode: siteCode, sequence: 6).description, precaution: try Precaution.parse("pregnancy"), active: true)
        _ = try records.setPrecaution(chart: ChartNumber(siteCode: siteCode, sequence: 11).description, precaution: try Precaution.parse("anticoagulants"), active: true)
        _ = try records.setPrecaution(chart: ChartNumber(siteCode: siteCode, sequence: 14).description, precaution: try Precaution.parse("lymphoedema:left-arm"), active: true)
    }

    struct SiteSpec {
        var point: String?
        var muscle: String?
        var side: NeedleSide
        var gauge: Double
        var length: Double
        var depth: Double
        var technique: NeedlingTechnique
        var retention: Int?
        var count: Int
    }

    struct NoteTemplate {
        var subjective: String, objective: String, assessment: String, plan: String
        var sites: [SiteSpec]
    }

    static let templates: [String: NoteTemplate] = [
        "dn-30": NoteTemplate(
            subjective: "Douleur cervicale droite depuis 3 semaines, pire après le télétravail; céphalées en fin de journée.",
            objective: "Rotation cervicale D limitée à 60°. Point gâchette actif au trapèze supérieur D reproduisant la céphalée.",
            assessment: "Syndrome myofascial du trapèze supérieur et de l'élévateur de la scapula.",
            plan: "Dry needling, puis exercices de rétraction cervicale et pauses actives. Revoir dans 1 semaine.",
            sites: [SiteSpec(muscle: "upper trapezius", side: .right, gauge: 0.25, length: 30, depth: 15, technique: .pistoning, count: 2),
                    SiteSpec(muscle: "levator scapulae", side: .right, gauge: 0.25, length: 40, depth: 20, technique: .pistoning, count: 1)]),
        "acu-45": NoteTemplate(
            subjective: "Lombalgie chronique, sommeil perturbé, stress au travail.",
            objective: "Langue pâle, pouls tendu. Sensibilité paravertébrale L4-L5.",
            assessment: "Stagnation du Qi et du sang au bas du dos.",
            plan: "Acupuncture BL23, BL40, GB34, LI4 bilatéral; rétention 20 min. Marche quotidienne.",
            sites: [SiteSpec(point: "BL23", side: .bilateral, gauge: 0.25, length: 40, depth: 20, technique: .static, retention: 20, count: 2),
                    SiteSpec(point: "BL40", side: .bilateral, gauge: 0.25, length: 30, depth: 15, technique: .static, retention: 20, count: 2),
                    SiteSpec(point: "GB34", side: .bilateral, gauge: 0.25, length: 40, depth: 20, technique: .static, retention: 20, count: 2),
                    SiteSpec(point: "LI4", side: .bilateral, gauge: 0.20, length: 25, depth: 10, technique: .static, retention: 20, count: 2)]),
        "physio-30": NoteTemplate(
            subjective: "Genou gauche moins douloureux; monte les escaliers avec une rampe.",
            objective: "Flexion 120°, extension complète. Force quadriceps 4+/5.",
            assessment: "Syndrome fémoro-patellaire en amélioration.",
            plan: "Progression des squats et step-downs; revoir dans 2 semaines.", sites: []),
        "physio-eval": NoteTemplate(
            subjective: "Épicondylalgie latérale droite depuis 2 mois (joueur de tennis).",
            objective: "Douleur à l'extension résistée du poignet; force de préhension diminuée de 30 %.",
            assessment: "Tendinopathie des extenseurs du poignet.",
            plan: "Éducation, exercices excentriques, envisager dry needling.", sites: []),
        "osteo-60": NoteTemplate(
            subjective: "Raideur thoracique et douleur costale après déménagement.",
            objective: "Restriction T4-T6, côtes 5-6 droites sensibles.",
            assessment: "Dysfonction somatique thoracique.",
            plan: "Techniques myofasciales et articulatoires; mobilité thoracique à domicile.", sites: []),
        "kin-45": NoteTemplate(
            subjective: "Reprise de la course, douleur 2/10 après 5 km.",
            objective: "Contrôle moteur de la hanche amélioré au step-down.",
            assessment: "Progression de la réadaptation active.",
            plan: "Programme de renforcement fessier, course progressive.", sites: []),
    ]
}
