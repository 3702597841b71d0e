import Foundation
import Models
import Storage

/// A session note as `note show --json` prints it.
struct NoteView: Encodable {
    struct Needle: Encodable {
        let id: String, point: String?, muscle: String?, side: String, gauge_mm: Double?, length_mm: Double?, depth_mm: Double?
        let technique: String?, retention_min: Int?, estim: String?, count: Int
    }
    struct Adverse: Encodable { let kind: String, detail: String, at: String }
    /// Who signed, when (the site's local time, with its offset), with which key (nil for `hash-only`), and whether it verifies.
    struct Signature: Encodable {
        let signer: String, key: String?, signed_at: String, method: String, verified: Bool

        init(_ check: SignatureCheck, staff: StaffRepository, zone: SiteTimeZone) throws {
            signer = try staff.byID(check.signerID)?.handle ?? check.signerID
            key = check.keyID
            signed_at = NoteView.localISO(check.signedAt, zone: zone)
            method = check.method.rawValue
            verified = check.verified
        }
    }
    struct Amendment: Encodable {
        let id: String, author: String, text: String, at: String, amends_hash: String, hash: String, verified: Bool, signature: Signature?
        /// For the human text only: when, as the session's times read.
        fileprivate let shownAt: String

        private enum CodingKeys: String, CodingKey { case id, author, text, at, amends_hash, hash, verified, signature }
    }

    let id: String, appointment: String, patient: String, author: String, session_date: String, status: String
    /// The appointment's service code (`dn-30`): nil when the appointment is not here yet.
    let service: String?
    /// The session's start (UTC), the same in its site's zone, and that site: nil when the appointment is not here yet.
    let session_start: String?, local_start: String?, site: String?
    let subjective: String, objective: String, assessment: String, plan: String
    let pain_before: Int?, pain_after: Int?, psfs: Double?, ndi: Int?, odi: Int?
    let needling: [Needle]
    let needles_inserted: Int, needles_removed: Int
    let adverse_events: [Adverse]
    let signed_by: String?, signed_at: String?, hash: String?, hash_verified: Bool?, acknowledged: [String]
    let signature: Signature?
    let amendments: [Amendment]
    /// For the human text only: the session's and the signature's times as this site reads them.
    private let sessionShown: String
    private let signedShown: String?

    private enum CodingKeys: String, CodingKey {
        case id, appointment, patient, author, service, session_date, session_start, local_start, site, status, subjective, objective, assessment, plan, pain_before, pain_after, psfs
        case ndi, odi, needling, needles_inserted, needles_removed, adverse_events, signed_by, signed_at, hash, hash_verified, acknowledged
        case signature, amendments
    }

    /// An instant as ISO-8601 in the site's local time with its offset (`2026-11-23T09:00:00-05:00`).
    static func localISO(_ millis: Int64, zone: SiteTimeZone) -> String {
        let local = zone.local(millis)
        return "\(local.date)T\(TimeOfDay.format(local.minuteOfDay)):\(local.second < 10 ? "0" : "")\(local.second)" + zone.offsetText(atMillis: millis)
    }

    /// Every time of a note reads in the zone of its session's site, labelled when that is another site
    /// (`2026-12-01 10:00 EST (MTL)`); in this site's zone when the appointment has not arrived yet.
    init(_ note: NoteRecord, db: Database, times: SiteTimes) throws {
        let staff = StaffRepository(db)
        let record = try? Scheduler(db).record(id: note.appointmentID)
        let zone = record.map(times.zone(of:)) ?? times.hereZone
        func shown(_ millis: Int64) -> String { record.map { times.label(millis, of: $0) } ?? times.local(millis) }
        id = note.id
        appointment = note.appointmentID
        patient = try PatientRepository(db).byID(note.patientID)?.chart ?? note.patientID
        author = try staff.byID(note.authorID)?.handle ?? note.authorID
        session_date = note.sessionDate.description
        session_start = record.map { Instant.iso($0.appointment.span.start) }
        local_start = record.map { times.wallClock($0.appointment.span.start, of: $0) }
        site = record?.siteCode
        service = try record.flatMap { try ServiceRepository(db).byID($0.appointment.serviceID)?.slug }
        sessionShown = record.map { shown($0.appointment.span.start) } ?? session_date
        status = note.status.rawValue
        subjective = note.sections[.subjective] ?? ""
        objective = note.sections[.objective] ?? ""
        assessment = note.sections[.assessment] ?? ""
        plan = note.sections[.plan] ?? ""
        pain_before = note.painBefore
        pain_after = note.painAfter
        psfs = note.psfs
        ndi = note.ndi
        odi = note.odi
        needling = note.needling.map {
            let e = $0.entry
            return Needle(id: $0.id, point: e.point?.code, muscle: e.muscle?.name, side: e.side.rawValue, gauge_mm: e.gaugeMillimetres,
                          length_mm: e.lengthMillimetres, depth_mm: e.depthMillimetres, technique: e.technique?.rawValue,
                          retention_min: e.retentionMinutes, estim: e.electroStim?.description, count: e.count)
        }
        needles_inserted = note.needlesInserted
        needles_removed = note.needlesRemoved
        adverse_events = note.adverseEvents.map { Adverse(kind: $0.kind.rawValue, detail: $0.detail, at: Instant.iso($0.at)) }
        signed_by = try note.signedBy.flatMap { try staff.byID($0)?.handle }
        signed_at = note.signedAt.map(Instant.iso)
        signedShown = note.signedAt.map(shown)
        hash = note.contentHash
        hash_verified = note.status == .signed ? note.hashVerified : nil
        acknowledged = note.acknowledged
        signature = try note.signature.map { try Signature($0, staff: staff, zone: zone) }
        amendments = try note.amendments.map {
            Amendment(id: $0.id, author: $0.authorHandle, text: $0.text, at: Instant.iso($0.at), amends_hash: $0.amendsHash, hash: $0.contentHash,
                      verified: $0.verified,
                      signature: try $0.signature.map { try Signature($0, staff: staff, zone: zone) }, shownAt: shown($0.at))
        }
    }

    /// The note as a clinician reads it on screen.
    func text() -> String {
        var lines = ["Note \(IDSuffix.short(id)) · \(patient) · \(sessionShown) · by \(author) · \(status.uppercased())"]
        for (label, value) in [("S", subjective), ("O", objective), ("A", assessment), ("P", plan)] where !value.isEmpty {
            lines.append("\(label): \(TerminalText.escaped(value, keepingLayout: true))")
        }
        if pain_before != nil || pain_after != nil {
            lines.append("Pain (NPRS): \(pain_before.map(String.init) ?? "?") → \(pain_after.map(String.init) ?? "?")")
        }
        let measures = [("PSFS", psfs.map { JSONValue.format($0) }), ("NDI", ndi.map(String.init)), ("ODI", odi.map(String.init))]
            .compactMap { name, value in value.map { "\(name) \($0)" } }
        if !measures.isEmpty { lines.append("Outcome measures: " + measures.joined(separator: ", ")) }
        if !needling.isEmpty {
            var table = TextTable("#", "SITE", "SIDE", "GAUGE", "LENGTH", "DEPTH", "TECHNIQUE", "RETENTION", "E-STIM", "NEEDLES")
            for (position, n) in needling.enumerated() {
                table.add(String(position + 1), n.point ?? n.muscle ?? "?", n.side, n.gauge_mm.map { JSONValue.format($0) } ?? "", n.length_mm.map { JSONValue.format($0) + "mm" } ?? "",
                          n.depth_mm.map { JSONValue.format($0) + "mm" } ?? "", n.technique ?? "", n.retention_min.map { "\($0)m" } ?? "",
                          n.estim ?? "", String(n.count))
            }
            lines.append(table.render())
            lines.append("Needles: \(needles_inserted) in, \(needles_removed) out")
        }
        for event in adverse_events { lines.append("Adverse event: \(event.kind) — \(TerminalText.escaped(event.detail))") }
        if status == "signed", let signature {
            let when = signedShown ?? "?"
            if signature.method == SignatureCheck.Method.hashOnly.rawValue {
                lines.append("Signed by \(signature.signer) at \(when) · hash-only (signed before clinician keys) · SHA-256 \(hash ?? "?")")
                lines.append(signature.verified ? "Hash verified: the note is unchanged since signing."
                                                : "WARNING: BAD SIGNATURE: the stored hash does not match the note's content: it was changed after signing.")
            } else {
                lines.append("Signed by \(signature.signer) at \(when) with key \(signature.key ?? "?") · SHA-256 \(hash ?? "?")")
                lines.append(signature.verified ? "Signature verified: signed by \(signature.signer)'s own key, and the note is unchanged since."
                                                : "WARNING: BAD SIGNATURE: the signature does not verify: the note or its signature was changed after signing.")
            }
            if !acknowledged.isEmpty { lines.append("Acknowledged: " + acknowledged.joined(separator: ", ")) }
        }
        for amendment in amendments {
            lines.append("Amendment \(amendment.shownAt) by \(amendment.author)\(amendment.verified ? "" : " (BAD SIGNATURE)"): "
                         + TerminalText.escaped(amendment.text, keepingLayout: true))
        }
        return lines.joined(separator: "\n")
    }
}
