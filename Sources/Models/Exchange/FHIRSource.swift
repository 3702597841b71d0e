/// Everything a FHIR export needs, read by Storage in one snapshot and mapped here without a
/// database, so the mapping is tested on plain values.
public struct FHIRSource: Sendable {
    /// A staff member with the credentials that become `Practitioner.qualification`.
    public struct StaffMember: Sendable {
        public var practitioner: Practitioner
        public var credentials: [Credential]

        public init(practitioner: Practitioner, credentials: [Credential]) {
            self.practitioner = practitioner
            self.credentials = credentials
        }
    }

    /// A signed session note's structured content: what the Procedure, Observations and
    /// AdverseEvents are built from. Drafts are not exported: the clinician has not attested them.
    public struct Session: Sendable {
        public var noteID: String
        public var appointmentID: String
        public var patientID: String
        public var authorID: String
        public var span: TimeSpan
        public var painBefore: Int?
        public var painAfter: Int?
        public var needling: [NeedlingEntry]
        public var needlesRemoved: Int
        public var adverseEvents: [StoredEvent]
        public var signedAt: Int64?
        /// The clinician's own signature, for the Provenance resource (nil for a hash-only note).
        public var signature: SignatureData? = nil

        public init(noteID: String, appointmentID: String, patientID: String, authorID: String, span: TimeSpan, painBefore: Int?,
                    painAfter: Int?, needling: [NeedlingEntry], needlesRemoved: Int, adverseEvents: [StoredEvent], signedAt: Int64?) {
            self.noteID = noteID
            self.appointmentID = appointmentID
            self.patientID = patientID
            self.authorID = authorID
            self.span = span
            self.painBefore = painBefore
            self.painAfter = painAfter
            self.needling = needling
            self.needlesRemoved = needlesRemoved
            self.adverseEvents = adverseEvents
            self.signedAt = signedAt
        }
    }

    /// A clinician's Ed25519 signature of a note, with what a receiving system needs to check it.
    public struct SignatureData: Sendable {
        public var signerID: String
        public var keyID: String
        /// Base64 of the raw Ed25519 public key.
        public var publicKey: String
        /// Base64 of the signature.
        public var value: String
        /// The SHA-256 (hex) of the canonical JSON document signed: the key signs
        /// `clinic-signed-document:sha256:<hex>`, so no note text needs to travel with the signature.
        public var documentSHA256: String

        public init(signerID: String, keyID: String, publicKey: String, value: String, documentSHA256: String) {
            self.signerID = signerID
            self.keyID = keyID
            self.publicKey = publicKey
            self.value = value
            self.documentSHA256 = documentSHA256
        }
    }

    /// An adverse event of a session.
    public struct StoredEvent: Sendable {
        public var id: String
        public var kind: AdverseEventKind
        public var detail: String
        public var at: Int64

        public init(id: String, kind: AdverseEventKind, detail: String, at: Int64) {
            self.id = id
            self.kind = kind
            self.detail = detail
            self.at = at
        }
    }

    /// A consent given, and the date it was withdrawn if it was.
    public struct ConsentRecord: Sendable {
        public var id: String
        public var patientID: String
        public var intervention: Intervention
        public var date: CivilDate
        public var guardian: String?
        public var withdrawn: CivilDate?
        public var recordedByID: String

        public init(id: String, patientID: String, intervention: Intervention, date: CivilDate, guardian: String?,
                    withdrawn: CivilDate?, recordedByID: String) {
            self.id = id
            self.patientID = patientID
            self.intervention = intervention
            self.date = date
            self.guardian = guardian
            self.withdrawn = withdrawn
            self.recordedByID = recordedByID
        }
    }

    /// The exporting site (the bundle's id derives from it).
    public var site: Site
    /// The sites the bundle's rooms are at, each an Organization and a site Location (nil: the exporting site).
    public var sites: [Site]?
    public var rooms: [Room]
    public var staff: [StaffMember]
    public var services: [Service]
    public var patients: [Patient]
    public var appointments: [Appointment]
    public var sessions: [Session]
    public var consents: [ConsentRecord]

    public init(site: Site, rooms: [Room], staff: [StaffMember], services: [Service], patients: [Patient],
                appointments: [Appointment], sessions: [Session], consents: [ConsentRecord], sites: [Site]? = nil) {
        self.site = site
        self.sites = sites
        self.rooms = rooms
        self.staff = staff
        self.services = services
        self.patients = patients
        self.appointments = appointments
        self.sessions = sessions
        self.consents = consents
    }
}
