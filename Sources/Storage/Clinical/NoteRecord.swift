import Models

/// A session note as stored, with its needling entries, adverse events and amendments.
public struct NoteRecord: Sendable {
    public var id: String
    public var appointmentID: String
    public var patientID: String
    public var authorID: String
    public var sessionDate: CivilDate
    public var sections: [SOAPSection: String]
    public var painBefore: Int?
    public var painAfter: Int?
    public var psfs: Double?
    public var ndi: Int?
    public var odi: Int?
    public var needlesRemoved: Int
    public var status: NoteStatus
    public var signedBy: String?
    public var signedAt: Int64?
    public var contentHash: String?
    public var acknowledged: [String]
    public var needling: [StoredNeedling]
    public var adverseEvents: [StoredAdverseEvent]
    public var amendments: [StoredAmendment]
    /// The clinician's signature and whether it verifies (nil for a draft).
    public var signature: SignatureCheck? = nil

    /// Needles inserted at every site.
    public var needlesInserted: Int { NoteSigning.needlesInserted(needling.map(\.entry)) }

    /// The SHA-256 of the note's canonical content and signature, as stored at signing.
    public var computedHash: String { SHA256Hex.of(canonicalContent.canonical) }

    /// True when the stored hash matches the content: the note was not changed after signing.
    public var hashVerified: Bool { contentHash != nil && contentHash == computedHash }

    /// What a signature freezes, carried with it when sites sync: every content column and the ids
    /// of the needling and adverse-event rows it covers. A site that receives the signature takes
    /// the note's content from here, so concurrent edits elsewhere cannot change a signed note.
    public var signedSnapshot: JSONValue {
        guard case .object(var members) = canonicalContent else { return .null }
        for key in ["id", "appointment_id", "patient_id", "author_id", "session_date", "signed_by", "signed_at", "acknowledged"] {
            members.removeValue(forKey: key)
        }
        members["needling"] = .array(needling.map(\.id).sorted().map(JSONValue.string))
        members["adverse_events"] = .array(adverseEvents.map(\.id).sorted().map(JSONValue.string))
        return .object(members)
    }

    /// Everything the signature covers, in canonical form.
    public var canonicalContent: JSONValue {
        func optional(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
        return .object([
            "id": .string(id), "appointment_id": .string(appointmentID), "patient_id": .string(patientID),
            "author_id": .string(authorID), "session_date": .string(sessionDate.description),
            "subjective": .string(sections[.subjective] ?? ""), "objective": .string(sections[.objective] ?? ""),
            "assessment": .string(sections[.assessment] ?? ""), "plan": .string(sections[.plan] ?? ""),
            "pain_before": optional(painBefore), "pain_after": optional(painAfter),
            "psfs": psfs.map(JSONValue.decimal) ?? .null, "ndi": optional(ndi), "odi": optional(odi),
            "needles_removed": .integer(Int64(needlesRemoved)),
            "needling": .array(needling.sorted { $0.id < $1.id }.map(\.canonical)),
            "adverse_events": .array(adverseEvents.sorted { $0.id < $1.id }.map(\.canonical)),
            "signed_by": signedBy.map(JSONValue.string) ?? .null,
            "signed_at": signedAt.map(JSONValue.integer) ?? .null,
            "acknowledged": .array(acknowledged.sorted().map(JSONValue.string)),
        ])
    }
}

/// A needling row with its id.
public struct StoredNeedling: Sendable {
    public var id: String
    public var entry: NeedlingEntry

    var canonical: JSONValue {
        func decimal(_ value: Double?) -> JSONValue { value.map(JSONValue.decimal) ?? .null }
        return .object([
            "id": .string(id), "point": entry.point.map { .string($0.code) } ?? .null, "muscle": entry.muscle.map { .string($0.name) } ?? .null,
            "side": .string(entry.side.rawValue), "gauge_mm": decimal(entry.gaugeMillimetres), "length_mm": decimal(entry.lengthMillimetres),
            "depth_mm": decimal(entry.depthMillimetres), "technique": entry.technique.map { .string($0.rawValue) } ?? .null,
            "retention_min": entry.retentionMinutes.map { .integer(Int64($0)) } ?? .null,
            "estim_hz": decimal(entry.electroStim?.frequencyHz), "estim_min": entry.electroStim.map { .integer(Int64($0.minutes)) } ?? .null,
            "count": .integer(Int64(entry.count)),
        ])
    }
}

/// An adverse event recorded in a note.
public struct StoredAdverseEvent: Sendable {
    public var id: String
    public var kind: AdverseEventKind
    public var detail: String
    public var at: Int64

    var canonical: JSONValue {
        .object(["id": .string(id), "kind": .string(kind.rawValue), "detail": .string(detail), "at": .integer(at)])
    }
}

/// A dated amendment to a signed note, carrying the hash of what it amends.
public struct StoredAmendment: Sendable {
    public var id: String
    public var authorHandle: String
    public var authorID: String
    public var text: String
    public var amendsHash: String
    public var contentHash: String
    public var at: Int64
    /// The author's signature and whether it verifies.
    public var signature: SignatureCheck? = nil
    /// True when the amendment stands: its signature verifies and it amends the note as signed (the hash it
    /// carries is the note's). Set by the read that loads the note, so every reader gets the same answer.
    public internal(set) var verified = false

    static func hash(id: String, noteID: String, authorID: String, text: String, amendsHash: String, at: Int64) -> String {
        SHA256Hex.of(JSONValue.object([
            "id": .string(id), "note_id": .string(noteID), "author_id": .string(authorID), "text": .string(text),
            "amends_hash": .string(amendsHash), "at": .integer(at),
        ]).canonical)
    }

    /// True when the amendment's own hash still matches its text.
    public func verifies(noteID: String) -> Bool {
        Self.hash(id: id, noteID: noteID, authorID: authorID, text: text, amendsHash: amendsHash, at: at) == contentHash
    }
}
