/// A refusal's text, with the inputs it is about kept as fields rather than spelled: Models and
/// Storage say "\(.endTime) must be after \(.startTime)", the CLI prints "--to must be after --from",
/// and anything else reading the error gets "the end time must be after the start time".
public struct ErrorMessage: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable, Equatable {
        case text(String)
        case field(ClinicField)
    }

    let parts: [Part]

    /// Text with no fields in it, such as a message built elsewhere.
    public init(verbatim text: String) { parts = [.text(text)] }

    public init(stringLiteral value: String) { parts = [.text(value)] }

    public init(stringInterpolation: Interpolation) { self.init(parts: stringInterpolation.parts) }

    /// One message after another, as `String` concatenation.
    public static func + (lhs: ErrorMessage, rhs: ErrorMessage) -> ErrorMessage {
        ErrorMessage(parts: lhs.parts + rhs.parts)
    }

    /// Adjacent text is joined, so a message equals itself however it was put together.
    private init(parts: [Part]) {
        var joined: [Part] = []
        for part in parts {
            if case .text(let text) = part, case .text(let before)? = joined.last {
                joined[joined.count - 1] = .text(before + text)
            } else {
                joined.append(part)
            }
        }
        self.parts = joined
    }

    /// The message with each field named by `spelling` (the CLI passes its option names).
    public func rendered(naming spelling: (ClinicField) -> String) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .field(let field): return spelling(field)
            }
        }.joined()
    }

    /// The message with each field named by what it is.
    public var description: String { rendered(naming: \.thing) }

    /// Collects literal text, values and fields.
    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.text(literal)) }
        }

        public mutating func appendInterpolation(_ field: ClinicField) { parts.append(.field(field)) }

        public mutating func appendInterpolation<T>(_ value: T) { parts.append(.text("\(value)")) }
    }
}

/// An input a refusal can be about. Models and Storage name it by what it is (`thing`); each front
/// end spells it its own way (the CLI as the option that supplies it), so no rule names a flag.
public enum ClinicField: String, CaseIterable, Sendable {
    case acknowledgement, actor, address, allowDuplicate, amendment, assessment, conflictSide, credentialNumber, date
    case dateFormat, dateOfBirth, destination, detail, discipline, email, emergencyContact, endTime, estim, expiry, firstName, force
    case fromDate, gauge, guardian, lastName, muscle, name, ndi, needleCount, needleDepth, needleLength, objective
    case occurrenceCount, odi, painAfter, painBefore, phone, plan, point, psfs, reason, recipient, regulator
    case retention, risks, roles, roomName, sessionLength, side, siteKey, siteName, startTime, subjective, time, until
    case week, weekday

    /// What the field holds, as a phrase that reads in a sentence ("the end time must be after …").
    public var thing: String {
        switch self {
        case .acknowledgement: return "an acknowledgement"
        case .actor: return "the acting member"
        case .address: return "the address"
        case .allowDuplicate: return "allowing a duplicate"
        case .amendment: return "the amendment"
        case .assessment: return "the assessment"
        case .conflictSide: return "the side kept"
        case .credentialNumber: return "the credential number"
        case .date: return "the date"
        case .dateFormat: return "the date format"
        case .dateOfBirth: return "the date of birth"
        case .destination: return "the destination file"
        case .detail: return "the detail"
        case .discipline: return "the discipline"
        case .email: return "the email address"
        case .emergencyContact: return "the emergency contact"
        case .endTime: return "the end time"
        case .estim: return "the electro-stimulation"
        case .expiry: return "the expiry date"
        case .firstName: return "the first name"
        case .force: return "forcing"
        case .fromDate: return "the first date"
        case .gauge: return "the gauge"
        case .guardian: return "the guardian"
        case .lastName: return "the last name"
        case .muscle: return "a muscle"
        case .name: return "the name"
        case .ndi: return "the Neck Disability Index"
        case .needleCount: return "the needle count"
        case .needleDepth: return "the depth"
        case .needleLength: return "the needle length"
        case .objective: return "the objective findings"
        case .occurrenceCount: return "the number of occurrences"
        case .odi: return "the Oswestry Disability Index"
        case .painAfter: return "the pain after treatment (NPRS)"
        case .painBefore: return "the pain before treatment (NPRS)"
        case .phone: return "the phone number"
        case .plan: return "the plan"
        case .point: return "an acupoint"
        case .psfs: return "the Patient-Specific Functional Scale"
        case .reason: return "the reason"
        case .recipient: return "the receiving site"
        case .regulator: return "the regulator"
        case .retention: return "the retention"
        case .risks: return "the risks"
        case .roles: return "the roles"
        case .roomName: return "the room name"
        case .sessionLength: return "the session length"
        case .side: return "the side"
        case .siteKey: return "the site key"
        case .siteName: return "the site name"
        case .startTime: return "the start time"
        case .subjective: return "the subjective report"
        case .time: return "the time"
        case .until: return "the last date"
        case .week: return "the week"
        case .weekday: return "the weekday"
        }
    }

    /// Whether a value typed for this field is about a patient (names, birth date, contact details,
    /// clinical text): such a value is never repeated in a message, where other values are shown back.
    public var carriesPatientData: Bool {
        switch self {
        case .address, .amendment, .assessment, .dateOfBirth, .detail, .email, .emergencyContact, .firstName,
             .guardian, .lastName, .objective, .phone, .plan, .reason, .risks, .subjective:
            return true
        default:
            return false
        }
    }
}

extension ErrorMessage {
    /// " (got 'VALUE')" after a message about a malformed value, or nothing when the field carries
    /// patient data: the user sees what they typed unless it could be about a patient.
    public static func given(_ value: String, for field: ClinicField?) -> String {
        if let field, field.carriesPatientData { return "" }
        let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
        return " (got '\(shown)')"
    }
}
