/// The 14 WHO channels, then the WHO extra-point groups (`EX-HN`…) and the NADA ear points; the raw value
/// is the code's prefix printed in notes (`LI4`, `EX-HN3`, `NADA2`).
public enum Meridian: String, Sendable, CaseIterable, Codable {
    case LU, LI, ST, SP, HT, SI, BL, KI, PC, TE, GB, LR, GV, CV
    /// WHO 2008 extra points: head and neck, chest and abdomen, back, upper and lower extremities.
    case EXHN = "EX-HN", EXCA = "EX-CA", EXB = "EX-B", EXUE = "EX-UE", EXLE = "EX-LE"
    /// The five auricular points of the NADA protocol, numbered in the protocol's order.
    case NADA

    /// The 14 channels of the 361 WHO standard points, without the extra points.
    public static let channels: [Meridian] = [.LU, .LI, .ST, .SP, .HT, .SI, .BL, .KI, .PC, .TE, .GB, .LR, .GV, .CV]

    /// True for the extra points and the ear points, which belong to no channel.
    public var isExtra: Bool { !Self.channels.contains(self) }

    /// How many WHO standard points the channel has, so `LU12` can be refused.
    public var pointCount: Int {
        switch self {
        case .LU: 11
        case .LI: 20
        case .ST: 45
        case .SP: 21
        case .HT: 9
        case .SI: 19
        case .BL: 67
        case .KI: 27
        case .PC: 9
        case .TE: 23
        case .GB: 44
        case .LR: 14
        case .GV: 28
        case .CV: 24
        case .EXHN: 15
        case .EXCA: 1
        case .EXB: 9
        case .EXUE: 11
        case .EXLE: 12
        case .NADA: 5
        }
    }

    /// The English channel name, for messages a clinician reads ("the Lung meridian").
    public var englishName: String {
        switch self {
        case .LU: "Lung"
        case .LI: "Large Intestine"
        case .ST: "Stomach"
        case .SP: "Spleen"
        case .HT: "Heart"
        case .SI: "Small Intestine"
        case .BL: "Bladder"
        case .KI: "Kidney"
        case .PC: "Pericardium"
        case .TE: "Triple Energizer"
        case .GB: "Gallbladder"
        case .LR: "Liver"
        case .GV: "Governor Vessel"
        case .CV: "Conception Vessel"
        case .EXHN: "extra points of the head and neck"
        case .EXCA: "extra points of the chest and abdomen"
        case .EXB: "extra points of the back"
        case .EXUE: "extra points of the upper extremities"
        case .EXLE: "extra points of the lower extremities"
        case .NADA: "NADA ear points"
        }
    }

    /// What a message says of the group's codes: "the Lung meridian has LU1–LU11".
    var rangePhrase: String { isExtra ? "the \(englishName) are \(rangeText)" : "the \(englishName) meridian has \(rangeText)" }

    /// True for the two vessels that run along the midline (GV up the back, CV down the front): their points
    /// are single, so a needle there has no left or right.
    public var isMidline: Bool { self == .GV || self == .CV }

    /// The valid codes of the channel, as messages show them ("LU1–LU11").
    public var rangeText: String { "\(rawValue)1–\(rawValue)\(pointCount)" }
}

/// One WHO standard acupoint: what `note needle --point` records and the
/// contraindication rules match on.
public struct Acupoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public let meridian: Meridian
    public let number: Int
    /// The pinyin name (e.g. "Hegu"), or "Large Intestine 4" where no name is known.
    public let name: String
    public let region: BodyRegion

    /// Builds a point from stored columns; user input goes through `AcupointCatalog.point`.
    public init(meridian: Meridian, number: Int, name: String, region: BodyRegion) {
        self.meridian = meridian
        self.number = number
        self.name = name
        self.region = region
    }

    /// The WHO code (`LI4`, `EX-HN3`): the stable text stored, synced and acknowledged.
    public var code: String { "\(meridian.rawValue)\(number)" }

    /// Whether the point lies on the centre line and has no side: GV and CV, and the single extra points
    /// (Yintang, Juquan, Haiquan, Shiqizhui, Yaoqi).
    public var isMidline: Bool { meridian.isMidline || Self.midlineExtras.contains(code) }

    private static let midlineExtras: Set<String> = ["EX-HN3", "EX-HN10", "EX-HN11", "EX-B8", "EX-B9"]

    /// The code, so a point prints the way notes store it.
    public var description: String { code }
}

/// The shipped reference list of the 361 WHO points, the 48 WHO extra points and the five NADA ear points,
/// and the parser clinicians' spellings go through, so every site stores the same code for the same point.
public enum AcupointCatalog {
    /// Every point, in channel order (LU1 … CV24), then EX-HN1 … EX-LE12 and NADA1 … NADA5.
    public static let all: [Acupoint] = Meridian.allCases.flatMap { meridian in
        let names = AcupointNames.names(of: meridian)
        return (1...meridian.pointCount).map { number in
            Acupoint(
                meridian: meridian,
                number: number,
                name: names.indices.contains(number - 1) ? names[number - 1] : "\(meridian.englishName) \(number)",
                region: AcupointRegions.region(of: meridian, number: number))
        }
    }

    /// The point a clinician typed, whatever the spelling (`li-4`, `Li 4`, `LI.4`,
    /// `UB60`, `SJ5`, `Liv3`, `Du20`, `Ren17`, `ex-hn3`, `EXHN3`); refuses codes the catalogue lacks.
    public static func point(_ text: String) throws -> Acupoint {
        let compact = text.uppercased().filter { !" \t-._".contains($0) }
        let letters = String(compact.prefix { $0.isASCII && $0.isLetter })
        let digits = String(compact.dropFirst(letters.count))
        guard !letters.isEmpty, !digits.isEmpty, digits.count <= 3,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            throw ClinicError(.unknownPoint, "an acupoint is a channel code and a number, e.g. LI4, ST36 or EX-HN3; valid codes are \(allRanges)")
        }
        guard let meridian = aliases[letters] else {
            throw ClinicError(.unknownPoint, "unknown channel: use one of \(allRanges) (aliases UB, SJ, TW, LV, Liv, Du, Ren)")
        }
        guard (1...meridian.pointCount).contains(number) else {
            throw ClinicError(.unknownPoint,
                "\(meridian.rawValue)\(number) does not exist: \(meridian.rangePhrase)")
        }
        return all[offset(of: meridian) + number - 1]
    }

    /// Every spelling of a channel accepted on input; single letters only where
    /// no other channel starts with them.
    static let aliases: [String: Meridian] = {
        var table = Dictionary(uniqueKeysWithValues: Meridian.allCases.map { (String($0.rawValue.filter { $0 != "-" }), $0) })
        let extra: [String: Meridian] = [
            "UB": .BL, "B": .BL,
            "SJ": .TE, "TW": .TE, "TB": .TE, "TH": .TE,
            "LV": .LR, "LIV": .LR,
            "DU": .GV, "REN": .CV,
            "P": .PC, "PE": .PC,
            "H": .HT, "HE": .HT,
            "K": .KI, "KID": .KI,
        ]
        table.merge(extra) { current, _ in current }
        return table
    }()

    private static let allRanges = Meridian.allCases.map(\.rangeText).joined(separator: ", ")

    private static func offset(of meridian: Meridian) -> Int {
        Meridian.allCases.prefix { $0 != meridian }.reduce(0) { $0 + $1.pointCount }
    }
}
