import Foundation

/// The disciplines that work under one roof in an interdisciplinary clinic.
public enum Discipline: String, Sendable, Codable, CaseIterable {
    case physiotherapy, acupuncture, osteopathy, kinesiology
    case occupationalTherapy = "occupational-therapy"
}

/// What a staff member may do: front desk books, clinicians treat and write notes, admin runs the site.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case clinician
    case frontDesk = "front-desk"
    case admin
}

/// Regulated techniques a clinician must hold a valid credential for.
public enum Scope: String, Sendable, Codable, CaseIterable {
    case dryNeedling = "dry-needling"
    case acupuncture
    case electroStim = "electro-stim"
    case manipulation
}

/// A staff member, named everywhere by a short handle (`jdoe`).
public struct Practitioner: Sendable, Equatable, Codable {
    public var id: String
    public var handle: String
    public var name: String
    public var discipline: Discipline?
    public var role: StaffRole

    public init(id: String, handle: String, name: String, discipline: Discipline?, role: StaffRole) {
        self.id = id
        self.handle = handle
        self.name = name
        self.discipline = discipline
        self.role = role
    }

    /// Handles are 2–32 lower-case letters, digits, dots, dashes or underscores.
    public static func validate(handle: String) throws {
        let allowed = handle.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        guard (2...32).contains(handle.count), allowed, handle.first?.isLetter == true else {
            throw ClinicError.usage("invalid-handle", "handle must be 2–32 lower-case letters, digits, '.', '-' or '_', starting with a letter")
        }
    }

    /// Clinicians need a discipline; front desk and admin may have none.
    public static func validate(role: StaffRole, discipline: Discipline?) throws {
        if role == .clinician, discipline == nil {
            throw ClinicError.usage("discipline-required", "--discipline is required for clinicians")
        }
    }
}

/// A professional credential: the regulator's licence for a scope, valid until its expiry date.
public struct Credential: Sendable, Equatable, Codable {
    public var scope: Scope
    public var regulator: String
    public var number: String
    public var expires: CivilDate?

    public init(scope: Scope, regulator: String, number: String, expires: CivilDate?) {
        self.scope = scope
        self.regulator = regulator
        self.number = number
        self.expires = expires
    }

    /// Valid on `date` when it has not expired before that day.
    public func isValid(on date: CivilDate) -> Bool {
        guard let expires else { return true }
        return date <= expires
    }
}

extension CivilDate: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
