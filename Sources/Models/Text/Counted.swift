/// "1 patient", "2 patients": a count with its noun in the right number, so no message says "patient(s)".
public enum Counted {
    /// `count` followed by `singular`, or by `plural` (default: `singular` + "s") when it is not 1.
    public static func phrase(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
