/// One needle site as the safety rules see it: what was needled, where, how
/// deep, and whether current was applied. Exactly one of `point` and `muscle`
/// is meant to be set; if both are, the rules check both.
public struct NeedlingSite: Sendable, Hashable, Codable {
    public var point: Acupoint?
    public var muscle: Muscle?
    public var side: NeedleSide
    public var depthMillimetres: Double?
    public var electroStim: Bool

    /// Builds a site; pass exactly one of `point` and `muscle`.
    public init(point: Acupoint? = nil, muscle: Muscle? = nil, side: NeedleSide,
                depthMillimetres: Double? = nil, electroStim: Bool = false) {
        self.point = point
        self.muscle = muscle
        self.side = side
        self.depthMillimetres = depthMillimetres
        self.electroStim = electroStim
    }
}

/// One rule that applies to a note: the text the signer acknowledges and a
/// message that names the rule, never the patient.
public struct Finding: Sendable, Hashable, Codable {
    /// How strongly a rule speaks against the needling.
    public enum Severity: String, Sendable, Codable {
        case contraindication, precaution
    }

    /// The acknowledgement code, e.g. `pregnancy:LI4`, `thorax:GB21`, `lymphoedema:left-arm`.
    public let rule: String
    public let severity: Severity
    public let message: String

    /// Builds a finding; normally only `ContraindicationRules.findings` does.
    public init(rule: String, severity: Severity, message: String) {
        self.rule = rule
        self.severity = severity
        self.message = message
    }
}

/// The contraindication and precaution rules between a patient's precautions and
/// the sites needled. The rules are one table (`ContraindicationRules.table`) so a
/// clinician can audit them in one place; `findings` only evaluates it.
public enum ContraindicationRules {
    /// Depth from which anticoagulants or a bleeding disorder call for caution.
    public static let deepNeedlingMillimetres: Double = 20

    /// Every rule that applies, de-duplicated and sorted by rule code, so the same
    /// note always lists the same findings in the same order at every site.
    public static func findings(precautions: [Precaution], sites: [NeedlingSite]) -> [Finding] {
        let present = Set(precautions)
        var found: [String: Finding] = [:]
        for rule in table {
            let prefix: String
            if let kind = rule.precaution {
                let matching = present.filter { $0.kind == kind }
                guard !matching.isEmpty else { continue }
                if kind == .lymphoedema {
                    for precaution in matching {
                        guard let limb = precaution.limb,
                              sites.contains(where: { site in site.regions.contains { Limb.limbs(region: $0, side: site.side).contains(limb) } })
                        else { continue }
                        let code = "\(kind.rawValue):\(limb.rawValue)"
                        found[code] = Finding(rule: code, severity: rule.severity, message: "\(code): \(rule.why)")
                    }
                    continue
                }
                prefix = kind.rawValue
            } else {
                prefix = rule.label
            }
            for site in sites {
                for subject in rule.trigger.subjects(of: site) {
                    let code = "\(prefix):\(subject)"
                    found[code] = Finding(rule: code, severity: rule.severity, message: "\(code): \(rule.why)")
                }
            }
        }
        return found.values.sorted { $0.rule < $1.rule }
    }

    /// Signing requires every listed rule to be acknowledged by name with
    /// `--acknowledge RULE`, precautions as much as contraindications, so that
    /// the signer has seen each one; the hook exists should that policy change.
    public static func requiresAcknowledgement(_ finding: Finding) -> Bool {
        true
    }

    // MARK: - The rule table

    /// Points contraindicated in pregnancy wherever they are (besides every abdominal point).
    static let pregnancyPoints: Set<String> = ["LI4", "SP6", "BL60", "BL67", "BL31", "BL32", "BL33", "BL34", "GB21", "CV1"]

    /// Points over the lung where a needle can cause a pneumothorax.
    static let thoraxPoints: Set<String> = Set(
        ["GB21", "LU1", "LU2", "PC1", "LR14"]
            + codes(.BL, 11...17) + codes(.BL, 41...46) + codes(.ST, 13...18) + codes(.KI, 22...27)
            + codes(.SP, 17...21) + codes(.GB, 22...24))

    /// Points next to the eyeball.
    static let eyePoints: Set<String> = ["BL1", "ST1"]

    /// Points over the carotid, trachea or thyroid.
    static let neckPoints: Set<String> = ["ST9", "CV22", "LI18"]

    /// Precautions that call for care with any needling at all.
    static let anyNeedlingKinds: [PrecautionKind] = [.needlePhobia, .immunosuppression, .diabetes, .epilepsy, .metalAllergy]

    /// The table: each row is a precaution (or none: always applies), what about
    /// a site sets it off, how severe it is and why.
    static let table: [Rule] = [
        Rule(.pregnancy, .points(pregnancyPoints), .contraindication,
             "point traditionally contraindicated in pregnancy"),
        Rule(.pregnancy, .pointRegions([.abdomen]), .contraindication,
             "abdominal point contraindicated in pregnancy"),
        Rule(.pregnancy, .muscleRegions([.abdomen, .pelvis]), .contraindication,
             "needling the abdomen or pelvis is contraindicated in pregnancy"),
        Rule(.pacemaker, .electroStim, .contraindication,
             "electro-stimulation is contraindicated with a pacemaker"),
        Rule(.implantedDevice, .electroStim, .contraindication,
             "electro-stimulation is contraindicated with an implanted electrical device"),
        Rule(.anticoagulants, .deepNeedling, .precaution,
             "needling at 20 mm or deeper on anticoagulants risks bleeding"),
        Rule(.bleedingDisorder, .deepNeedling, .precaution,
             "needling at 20 mm or deeper with a bleeding disorder risks bleeding"),
        Rule(.lymphoedema, .limb, .contraindication,
             "needling a limb with lymphoedema risks infection and worsening swelling"),
        Rule(always: "thorax", .points(thoraxPoints), .precaution,
             "point over the lung: pneumothorax risk, mind depth and angle"),
        Rule(always: "thorax", .muscleRegions([.thorax]), .precaution,
             "muscle over the chest wall: pneumothorax risk, mind depth and angle"),
        Rule(always: "eye", .points(eyePoints), .precaution,
             "point next to the eyeball: no manipulation, press after withdrawal"),
        Rule(always: "neck", .points(neckPoints), .precaution,
             "point over the carotid artery or trachea: shallow, avoid the vessel"),
    ] + anyNeedlingKinds.map { kind in
        Rule(kind, .anyNeedling, .precaution, "\(kind.rawValue.replacingHyphens) calls for care with any needling")
    }

    private static func codes(_ meridian: Meridian, _ numbers: ClosedRange<Int>) -> [String] {
        numbers.map { "\(meridian.rawValue)\($0)" }
    }

    /// What about a site sets a rule off; `subjects` are the texts after the colon.
    enum Trigger: Sendable {
        case points(Set<String>)
        case pointRegions(Set<BodyRegion>)
        case muscleRegions(Set<BodyRegion>)
        case electroStim
        case deepNeedling
        case anyNeedling
        case limb

        func subjects(of site: NeedlingSite) -> [String] {
            switch self {
            case .points(let codes):
                return [site.point?.code].compactMap { $0 }.filter(codes.contains)
            case .pointRegions(let regions):
                return [site.point].compactMap { $0 }.filter { regions.contains($0.region) }.map(\.code)
            case .muscleRegions(let regions):
                return [site.muscle].compactMap { $0 }.filter { regions.contains($0.region) }.map(\.code)
            case .electroStim:
                return site.electroStim ? ["electro-stim"] : []
            case .deepNeedling:
                return (site.depthMillimetres ?? 0) >= ContraindicationRules.deepNeedlingMillimetres ? ["deep-needling"] : []
            case .anyNeedling:
                return ["needling"]
            case .limb:
                return []
            }
        }
    }

    /// One row of the table.
    struct Rule: Sendable {
        /// The precaution the rule needs, or nil when it applies to every patient.
        let precaution: PrecautionKind?
        /// The rule code's prefix when no precaution names it (`thorax`).
        let label: String
        let trigger: Trigger
        let severity: Finding.Severity
        let why: String

        init(_ precaution: PrecautionKind, _ trigger: Trigger, _ severity: Finding.Severity, _ why: String) {
            self.precaution = precaution
            self.label = precaution.rawValue
            self.trigger = trigger
            self.severity = severity
            self.why = why
        }

        init(always label: String, _ trigger: Trigger, _ severity: Finding.Severity, _ why: String) {
            self.precaution = nil
            self.label = label
            self.trigger = trigger
            self.severity = severity
            self.why = why
        }
    }
}

extension NeedlingSite {
    /// The regions of whatever the site names (point, muscle or both).
    var regions: [BodyRegion] { [point?.region, muscle?.region].compactMap { $0 } }
}

private extension String {
    var replacingHyphens: String { split(separator: "-").joined(separator: " ") }
}
