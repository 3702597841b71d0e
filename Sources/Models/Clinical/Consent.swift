/// Interventions that need the patient's informed consent before they are recorded in a note.
public enum Intervention: String, Sendable, Codable, CaseIterable {
    case dryNeedling = "dry-needling"
    case acupuncture
    case electroStim = "electro-stim"

    /// The credential scope that allows this intervention.
    public var scope: Scope {
        switch self {
        case .dryNeedling: return .dryNeedling
        case .acupuncture: return .acupuncture
        case .electroStim: return .electroStim
        }
    }
}

/// One consent event: given (with the risks explained, and a guardian for a minor) or withdrawn.
/// Events are only ever added; a withdrawal is a new event, never a deletion.
public struct ConsentEvent: Sendable, Equatable {
    public enum Action: String, Sendable, Codable { case given, withdrawn }

    public var intervention: Intervention
    public var action: Action
    public var date: CivilDate
    public var guardian: String?

    public init(intervention: Intervention, action: Action, date: CivilDate, guardian: String? = nil) {
        self.intervention = intervention
        self.action = action
        self.date = date
        self.guardian = guardian
    }
}

/// When consent counts for a session.
public enum ConsentRules {
    /// Patients younger than this on the session date need a guardian's consent.
    public static let guardianAge = 16

    /// Consent counts when given on or before the session date, not withdrawn on or before that
    /// date after it was given, and — for a patient under 16 on that date — given by a guardian.
    public static func isValid(for intervention: Intervention, on session: CivilDate, events: [ConsentEvent], dateOfBirth: CivilDate) -> Bool {
        let minor = dateOfBirth.age(on: session) < guardianAge
        let relevant = events.filter { $0.intervention == intervention && $0.date <= session }
        return relevant.contains { given in
            guard given.action == .given, !minor || given.guardian != nil else { return false }
            return !relevant.contains { $0.action == .withdrawn && $0.date >= given.date }
        }
    }

    /// Refuses a consent record that a minor's session could never use.
    public static func validateRecord(on date: CivilDate, dateOfBirth: CivilDate, guardian: String?, risks: String) throws {
        try PlainText.require(risks, field: .risks)
        try PlainText.require(guardian, field: .guardian)
        guard !risks.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.risksRequired, "\(.risks) must name the risks explained to the patient")
        }
        if dateOfBirth.age(on: date) < guardianAge, (guardian ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ClinicError(.guardianRequired, "the patient is under \(guardianAge) on \(date): record the consent with \(.guardian)")
        }
    }
}

import Foundation
