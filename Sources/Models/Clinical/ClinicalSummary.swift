/// One consent as a clinician reads it on the chart: given on a date (by a guardian or not),
/// and withdrawn later or still standing.
public struct ConsentStanding: Sendable, Equatable {
    public var intervention: Intervention
    public var given: CivilDate
    public var guardian: Bool
    public var withdrawn: CivilDate?

    public init(intervention: Intervention, given: CivilDate, guardian: Bool, withdrawn: CivilDate?) {
        self.intervention = intervention
        self.given = given
        self.guardian = guardian
        self.withdrawn = withdrawn
    }

    /// Each consent given, with the first withdrawal of that intervention on or after its date:
    /// the same reading `ConsentRules.isValid` makes of the events.
    public static func standing(of events: [ConsentEvent]) -> [ConsentStanding] {
        events.filter { $0.action == .given }.map { given in
            let withdrawal = events.filter { $0.intervention == given.intervention && $0.action == .withdrawn && $0.date >= given.date }
                .map(\.date).min()
            return ConsentStanding(intervention: given.intervention, given: given.date, guardian: given.guardian != nil, withdrawn: withdrawal)
        }
    }
}

/// What a clinician should see before needling a patient: the active precautions and the consents on file.
public struct ClinicalSummary: Sendable, Equatable {
    public var precautions: [Precaution]
    public var consents: [ConsentStanding]

    public init(precautions: [Precaution], consents: [ConsentStanding]) {
        self.precautions = precautions
        self.consents = consents
    }
}
