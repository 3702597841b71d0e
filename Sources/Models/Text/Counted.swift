/// "1 patient", "2 patients": a count with its noun in the right number, so no message says "patient(s)".
public enum Counted {
    /// `count` followed by `singular`, or by `plural` (default: `singular` + "s") when it is not 1.
    public static func phrase(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// "an appointment", "a note": the indefinite article a noun takes (by its first letter).
    public static func withArticle(_ noun: String) -> String {
        let vowel = noun.first.map { "aeiouAEIOU".contains($0) } ?? false
        return (vowel ? "an " : "a ") + noun
    }
}
