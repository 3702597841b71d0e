/// Everything `note sign` must know about a session, gathered by Storage in one transaction.
public struct SigningContext: Sendable {
    /// The note's appointment as it stands at signing, not as it stood when the draft was started.
    public var session: NoteSession
    /// The moment of signing, from the clinic's clock.
    public var now: Int64
    public var dateOfBirth: CivilDate
    public var entries: [NeedlingEntry]
    public var needlesRemoved: Int
    public var consents: [ConsentEvent]
    public var signerCredentials: [Credential]
    public var precautions: [Precaution]
    public var acknowledged: Set<String>

    public init(session: NoteSession, now: Int64, dateOfBirth: CivilDate, entries: [NeedlingEntry], needlesRemoved: Int, consents: [ConsentEvent],
                signerCredentials: [Credential], precautions: [Precaution], acknowledged: Set<String>) {
        self.session = session
        self.now = now
        self.dateOfBirth = dateOfBirth
        self.entries = entries
        self.needlesRemoved = needlesRemoved
        self.consents = consents
        self.signerCredentials = signerCredentials
        self.precautions = precautions
        self.acknowledged = acknowledged
    }

    /// The date consent and credentials are checked on: the appointment's current date.
    public var sessionDate: CivilDate { session.date }
}

/// The rules a note must pass before it is locked, in the order docs/CLI.md lists them.
public enum NoteSigning {
    /// Needles inserted at every site of the session.
    public static func needlesInserted(_ entries: [NeedlingEntry]) -> Int {
        entries.reduce(0) { $0 + $1.count }
    }

    /// The interventions recorded in the note, each needing consent.
    public static func interventions(_ entries: [NeedlingEntry]) -> [Intervention] {
        Intervention.allCases.filter { intervention in entries.contains { $0.interventions.contains(intervention) } }
    }

    /// Findings of the contraindication rules not yet acknowledged by the signer.
    public static func unacknowledged(_ context: SigningContext) -> [Finding] {
        ContraindicationRules.findings(precautions: context.precautions, sites: context.entries.map(\.site))
            .filter { ContraindicationRules.requiresAcknowledgement($0) && !context.acknowledged.contains($0.rule) }
    }

    /// A signature says the session took place as written: one that has not started yet cannot be
    /// signed (`too-early`), whatever its draft already holds.
    public static func requireStarted(_ session: NoteSession, now: Int64) throws {
        guard session.start <= now else {
            throw ClinicError(.tooEarly, "this session has not started yet; sign its note once it has taken place")
        }
    }

    /// Throws the first refusal: `too-early`, `no-consent`, `needle-count-mismatch`, `not-qualified`, `contraindication`.
    public static func check(_ context: SigningContext, signer: String) throws {
        try requireStarted(context.session, now: context.now)
        let missing = interventions(context.entries).filter {
            !ConsentRules.isValid(for: $0, on: context.sessionDate, events: context.consents, dateOfBirth: context.dateOfBirth)
        }
        if !missing.isEmpty {
            throw ClinicError(.noConsent, "no valid consent on \(context.sessionDate) for: \(missing.map(\.rawValue).joined(separator: ", "))"
                                      + (context.dateOfBirth.age(on: context.sessionDate) < ConsentRules.guardianAge ? " (a patient under 16 needs a guardian's consent)" : ""))
        }
        let inserted = needlesInserted(context.entries)
        guard inserted == context.needlesRemoved else {
            throw ClinicError(.needleCountMismatch, "\(inserted) needles inserted but \(context.needlesRemoved) removed; record 'note needles-removed' first")
        }
        for entry in context.entries {
            for scope in entry.requiredScopes where !BookingRules.holds(scope, credentials: context.signerCredentials, on: context.sessionDate) {
                throw ClinicError(.notQualified, "'\(signer)' holds no valid \(scope.rawValue) credential on \(context.sessionDate) (needed for \(entry.siteName))")
            }
        }
        let open = unacknowledged(context)
        if !open.isEmpty {
            throw ClinicError(.contraindication, "acknowledge with \(.acknowledgement): \(open.map(\.rule).joined(separator: ", "))")
        }
    }
}
