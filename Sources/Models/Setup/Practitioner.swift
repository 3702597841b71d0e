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

    /// Roles in the table's order, comma-separated, as stored and shown.
    public static func list(_ roles: Set<StaffRole>) -> String {
        allCases.filter(roles.contains).map(\.rawValue).joined(separator: ",")
    }

    /// Parses `clinician`, `front-desk,admin`, …; an unknown role is a usage error naming the allowed ones.
    public static func parseList(_ text: String) throws -> Set<StaffRole> {
        var roles: Set<StaffRole> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let role = StaffRole(rawValue: name) else {
                throw ClinicError(.invalidRole, "unknown role '\(name)': use clinician, front-desk or admin, comma-separated for several")
            }
            roles.insert(role)
        }
        return roles
    }
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
    /// Every role held: an owner may be an admin and a physiotherapist at once.
    public var roles: Set<StaffRole>
    /// False once deactivated: the member keeps their history but may do nothing.
    public var active: Bool

    public init(id: String, handle: String, name: String, discipline: Discipline?, roles: Set<StaffRole>, active: Bool = true) {
        self.id = id
        self.handle = handle
        self.name = name
        self.discipline = discipline
        self.roles = roles
        self.active = active
    }

    /// Whether this member treats patients (and so may be booked and write notes).
    public var isClinician: Bool { roles.contains(.clinician) }

    /// The roles in the table's order, comma-separated: `clinician,admin`.
    public var roleList: String { StaffRole.list(roles) }

    /// Handles are 2–32 lower-case letters, digits, dots, dashes or underscores.
    public static func validate(handle: String) throws {
        let allowed = handle.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        guard (2...32).contains(handle.count), allowed, handle.first?.isLetter == true else {
            throw ClinicError(.invalidHandle, "handle must be 2–32 lower-case letters, digits, '.', '-' or '_', starting with a letter")
        }
    }

    /// Clinicians need a discipline; front desk and admin may have none.
    public static func validate(roles: Set<StaffRole>, discipline: Discipline?) throws {
        guard !roles.isEmpty else { throw ClinicError(.invalidRole, "\(.roles) needs at least one role") }
        if roles.contains(.clinician), discipline == nil {
            throw ClinicError(.disciplineRequired, "\(.discipline) is required for clinicians")
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
