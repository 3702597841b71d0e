import Foundation

/// A standing condition on a patient's chart that changes what may be needled.
public enum PrecautionKind: String, Sendable, Codable, CaseIterable {
    case pregnancy, pacemaker, anticoagulants, lymphoedema
    case needlePhobia = "needle-phobia"
    case immunosuppression, diabetes, epilepsy
    case bleedingDisorder = "bleeding-disorder"
    case metalAllergy = "metal-allergy"
    case implantedDevice = "implanted-device"

    /// Whether the precaution only makes sense with a limb (`lymphoedema:left-arm`).
    public var needsLimb: Bool { self == .lymphoedema }
}

/// One precaution as entered on the command line (`pregnancy`, `lymphoedema:left-arm`);
/// only lymphoedema carries a limb, because it is the only one that is local.
public struct Precaution: Sendable, Hashable, Codable, CustomStringConvertible {
    public let kind: PrecautionKind
    public let limb: Limb?

    /// Builds a precaution, refusing a limb where it means nothing and its absence
    /// where it is needed, so a stored precaution is always one `parse` accepts.
    public init(kind: PrecautionKind, limb: Limb? = nil) throws {
        guard kind.needsLimb == (limb != nil) else { throw Precaution.invalid }
        self.kind = kind
        self.limb = limb
    }

    /// Decodes with the same limb check as `init(kind:limb:)`, so a synced row cannot break it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(PrecautionKind.self, forKey: .kind)
        let limb = try container.decodeIfPresent(Limb.self, forKey: .limb)
        guard kind.needsLimb == (limb != nil) else {
            throw DecodingError.dataCorruptedError(
                forKey: .limb, in: container, debugDescription: "a limb goes with lymphoedema and nothing else")
        }
        self.kind = kind
        self.limb = limb
    }

    /// Reads the CLI form; the message lists the valid values and never echoes
    /// the input, which is health information about a patient.
    public static func parse(_ text: String) throws -> Precaution {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased()
            .split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            .map { String($0).trimmingCharacters(in: .whitespaces) }
        let kindText = parts.first == "lymphedema" ? PrecautionKind.lymphoedema.rawValue : (parts.first ?? "")
        guard let kind = PrecautionKind(rawValue: kindText) else { throw invalid }
        if parts.count == 2 {
            guard let limb = Limb(rawValue: parts[1]) else { throw invalid }
            return try Precaution(kind: kind, limb: limb)
        }
        return try Precaution(kind: kind)
    }

    /// The text `parse` reads back: `pregnancy`, `lymphoedema:left-arm`.
    public var code: String {
        guard let limb else { return kind.rawValue }
        return "\(kind.rawValue):\(limb.rawValue)"
    }

    /// The code, so a precaution prints as it is typed.
    public var description: String { code }

    private static let invalid: ClinicError = {
        let plain = PrecautionKind.allCases.filter { !$0.needsLimb }.map(\.rawValue).joined(separator: ", ")
        let limbs = Limb.allCases.map(\.rawValue).joined(separator: ", ")
        return ClinicError(.invalidPrecaution,
            "a precaution is one of \(plain), or lymphoedema:LIMB with LIMB one of \(limbs)")
    }()
}
