/// Where a session note is: a draft the author edits, or signed and locked forever.
public enum NoteStatus: String, Sendable, Codable {
    case draft, signed
}

/// The SOAP sections, each its own unit of editing (and of last-writer-wins when sites sync).
public enum SOAPSection: String, Sendable, Codable, CaseIterable {
    case subjective, objective, assessment, plan

    /// The input that holds this section, for refusals that name it.
    public var field: ClinicField {
        switch self {
        case .subjective: return .subjective
        case .objective: return .objective
        case .assessment: return .assessment
        case .plan: return .plan
        }
    }
}

/// Standard outcome measures and the ranges a score must fall in.
public enum OutcomeMeasure: String, Sendable, Codable, CaseIterable {
    /// Numeric Pain Rating Scale, 0 (no pain) – 10 (worst imaginable).
    case nprs
    /// Patient-Specific Functional Scale, mean of activity scores 0 – 10.
    case psfs
    /// Neck Disability Index, raw score 0 – 50.
    case ndi
    /// Oswestry Disability Index, percentage 0 – 100.
    case odi

    public var range: ClosedRange<Double> {
        switch self {
        case .nprs, .psfs: return 0...10
        case .ndi: return 0...50
        case .odi: return 0...100
        }
    }

    /// Refuses a score outside the measure's range (`out-of-range`, exit 64).
    public func validate(_ value: Double, field: ClinicField) throws {
        guard value.isFinite, range.contains(value) else {
            throw ClinicError(.outOfRange, "\(field) must be between \(JSONValue.format(range.lowerBound)) and \(JSONValue.format(range.upperBound))")
        }
        if self == .nprs || self == .ndi || self == .odi, value != value.rounded() {
            throw ClinicError(.outOfRange, "\(field) must be a whole number")
        }
    }
}

/// Kinds of adverse event recorded against a session.
public enum AdverseEventKind: String, Sendable, Codable, CaseIterable {
    case bleeding, bruising, pain, syncope
    case forgottenNeedle = "forgotten-needle"
    case infection, pneumothorax, other
}

/// The minimal clinically important difference in NPRS used by outcome reports.
public enum PainChange {
    public static let minimalImportantDifference = 2
}
