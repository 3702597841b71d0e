/// Horizontal bars drawn with Unicode eighth blocks, so a manager reads a week at a glance in a
/// terminal: each cell holds up to eight steps (▏▎▍▌▋▊▉█).
public enum BarChart {
    static let partials: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `fraction` (clamped to 0…1) of `width` cells long, to the nearest eighth of a cell.
    public static func bar(fraction: Double, width: Int) -> String {
        guard fraction.isFinite, width > 0 else { return "" }
        let eighths = Int((min(max(fraction, 0), 1) * Double(width * 8)).rounded())
        return String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
    }

    /// One line per row: label, bar scaled to `scale` (default: the largest value), and its text.
    public static func render(_ rows: [(label: String, value: Double, text: String)], width: Int = 30, scale: Double? = nil) -> String {
        let top = scale ?? rows.map(\.value).max() ?? 0
        let labelWidth = rows.map(\.label.count).max() ?? 0
        return rows.map { row in
            let fraction = top > 0 ? row.value / top : 0
            let bar = bar(fraction: fraction, width: width)
            let label = row.label + String(repeating: " ", count: labelWidth - row.label.count)
            return "\(label) │\(bar)\(String(repeating: " ", count: max(0, width - bar.count))) \(row.text)"
        }.joined(separator: "\n")
    }

    /// `42.5%`, or `—` when the ratio is undefined.
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return JSONValue.format((value * 1000).rounded() / 10) + "%"
    }
}
