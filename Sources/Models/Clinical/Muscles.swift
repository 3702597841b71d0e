import Foundation

/// A muscle commonly needled for trigger points: what `note needle --muscle`
/// records and the region-level safety rules match on.
public struct Muscle: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Lower-case anatomical name, e.g. "upper trapezius".
    public let name: String
    public let region: BodyRegion

    /// Builds a muscle from stored columns; user input goes through `MuscleCatalog.muscle`.
    public init(name: String, region: BodyRegion) {
        self.name = name
        self.region = region
    }

    /// The name with dashes for spaces, as rules and acknowledgements print it
    /// (`pregnancy:gluteus-medius`), so it survives a command line unquoted.
    public var code: String { name.replacingOccurrences(of: " ", with: "-") }

    /// The name, so a muscle prints the way notes show it.
    public var description: String { name }
}

/// The shipped list of needled muscles and the parser for how clinicians write
/// them, so every site records the same name for the same muscle.
public enum MuscleCatalog {
    /// Every muscle the catalog knows, grouped roughly head to foot.
    public static let all: [Muscle] = [
        // Head and face
        Muscle(name: "temporalis", region: .head),
        Muscle(name: "masseter", region: .face),
        Muscle(name: "lateral pterygoid", region: .face),
        // Neck
        Muscle(name: "sternocleidomastoid", region: .neck),
        Muscle(name: "scalenes", region: .neck),
        Muscle(name: "splenius capitis", region: .neck),
        Muscle(name: "suboccipitals", region: .neck),
        Muscle(name: "levator scapulae", region: .neck),
        // Shoulder girdle and upper back
        Muscle(name: "upper trapezius", region: .upperBack),
        Muscle(name: "middle trapezius", region: .upperBack),
        Muscle(name: "lower trapezius", region: .upperBack),
        Muscle(name: "rhomboids", region: .upperBack),
        Muscle(name: "supraspinatus", region: .upperBack),
        Muscle(name: "infraspinatus", region: .upperBack),
        Muscle(name: "teres major", region: .upperBack),
        Muscle(name: "teres minor", region: .upperBack),
        Muscle(name: "thoracic erector spinae", region: .upperBack),
        Muscle(name: "iliocostalis thoracis", region: .upperBack),
        Muscle(name: "longissimus thoracis", region: .upperBack),
        // Chest wall
        Muscle(name: "pectoralis major", region: .thorax),
        Muscle(name: "pectoralis minor", region: .thorax),
        Muscle(name: "serratus anterior", region: .thorax),
        Muscle(name: "intercostals", region: .thorax),
        // Arm and hand
        Muscle(name: "deltoid", region: .arm),
        Muscle(name: "biceps brachii", region: .arm),
        Muscle(name: "triceps brachii", region: .arm),
        Muscle(name: "brachioradialis", region: .arm),
        Muscle(name: "extensor carpi radialis", region: .arm),
        Muscle(name: "wrist extensors", region: .arm),
        Muscle(name: "wrist flexors", region: .arm),
        Muscle(name: "supinator", region: .arm),
        Muscle(name: "pronator teres", region: .arm),
        Muscle(name: "first dorsal interosseous", region: .hand),
        // Abdomen
        Muscle(name: "rectus abdominis", region: .abdomen),
        Muscle(name: "external oblique", region: .abdomen),
        Muscle(name: "iliopsoas", region: .abdomen),
        // Low back
        Muscle(name: "lumbar erector spinae", region: .lowBack),
        Muscle(name: "iliocostalis lumborum", region: .lowBack),
        Muscle(name: "longissimus lumborum", region: .lowBack),
        Muscle(name: "multifidus", region: .lowBack),
        Muscle(name: "quadratus lumborum", region: .lowBack),
        // Pelvis and buttock
        Muscle(name: "gluteus maximus", region: .pelvis),
        Muscle(name: "gluteus medius", region: .pelvis),
        Muscle(name: "gluteus minimus", region: .pelvis),
        Muscle(name: "piriformis", region: .pelvis),
        // Thigh and leg
        Muscle(name: "tensor fasciae latae", region: .leg),
        Muscle(name: "adductor longus", region: .leg),
        Muscle(name: "adductor magnus", region: .leg),
        Muscle(name: "biceps femoris", region: .leg),
        Muscle(name: "semitendinosus", region: .leg),
        Muscle(name: "semimembranosus", region: .leg),
        Muscle(name: "rectus femoris", region: .leg),
        Muscle(name: "vastus lateralis", region: .leg),
        Muscle(name: "vastus medialis", region: .leg),
        Muscle(name: "popliteus", region: .leg),
        Muscle(name: "gastrocnemius", region: .leg),
        Muscle(name: "soleus", region: .leg),
        Muscle(name: "tibialis anterior", region: .leg),
        Muscle(name: "peroneus longus", region: .leg),
        // Foot
        Muscle(name: "flexor digitorum brevis", region: .foot),
        Muscle(name: "abductor hallucis", region: .foot),
    ]

    /// Short forms clinicians write, each naming exactly one muscle; ambiguous
    /// words ("biceps", "trapezius", "hamstrings") are deliberately absent.
    static let aliases: [String: String] = [
        "ql": "quadratus lumborum",
        "glute max": "gluteus maximus", "gmax": "gluteus maximus",
        "glute med": "gluteus medius", "gmed": "gluteus medius",
        "glute min": "gluteus minimus", "gmin": "gluteus minimus",
        "levator scap": "levator scapulae", "levator": "levator scapulae",
        "scm": "sternocleidomastoid",
        "upper trap": "upper trapezius", "ut": "upper trapezius",
        "mid trap": "middle trapezius", "middle trap": "middle trapezius",
        "lower trap": "lower trapezius",
        "pec major": "pectoralis major", "pec minor": "pectoralis minor",
        "tfl": "tensor fasciae latae",
        "psoas": "iliopsoas", "iliacus": "iliopsoas",
        "ecr": "extensor carpi radialis", "ecrl": "extensor carpi radialis", "ecrb": "extensor carpi radialis",
        "common extensor origin": "wrist extensors", "common extensors": "wrist extensors",
        "common flexor origin": "wrist flexors", "common flexors": "wrist flexors",
        "vmo": "vastus medialis",
        "gastroc": "gastrocnemius", "gastrocs": "gastrocnemius",
        "tib ant": "tibialis anterior",
        "fibularis longus": "peroneus longus",
        "fdb": "flexor digitorum brevis",
        "triceps": "triceps brachii",
        "rhomboid major": "rhomboids", "rhomboid minor": "rhomboids",
        "scalene": "scalenes", "anterior scalene": "scalenes", "middle scalene": "scalenes",
        "suboccipital": "suboccipitals",
        "lumbar multifidus": "multifidus",
        "splenius": "splenius capitis",
        "first dorsal interosseus": "first dorsal interosseous",
    ]

    /// The muscle a clinician typed, ignoring case, dashes and extra spaces;
    /// an unknown name is refused with a few catalogue names that look close.
    public static func muscle(_ text: String) throws -> Muscle {
        let key = normalised(text)
        let name = aliases[key] ?? key
        if let found = byName[name] {
            return found
        }
        let suggestions = closest(to: key)
        let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
        throw ClinicError(.unknownMuscle,
            "not a muscle in the catalogue\(hint) (\(all.count) muscles are known, e.g. upper trapezius, gluteus medius)")
    }

    private static let byName = Dictionary(all.map { ($0.name, $0) }) { first, _ in first }

    private static func normalised(_ text: String) -> String {
        String(text.lowercased().map { "-_.".contains($0) ? " " : $0 })
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }

    /// Up to three names nearest by edit distance, so a typo gets a useful hint.
    private static func closest(to key: String) -> [String] {
        guard !key.isEmpty else { return [] }
        let scored = all.map { muscle in
            let words = muscle.name.split(separator: " ").map(String.init)
            let sharesWord = key.split(separator: " ").contains { part in
                part.count >= 3 && words.contains { $0.hasPrefix(part) }
            }
            return (name: muscle.name, score: editDistance(key, muscle.name) - (sharesWord ? 100 : 0))
        }
        return scored
            .filter { $0.score <= max(3, key.count / 3) }
            .sorted { ($0.score, $0.name) < ($1.score, $1.name) }
            .prefix(3)
            .map(\.name)
    }

    private static func editDistance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
