import Foundation

/// One CSV output line: fields quoted when they hold a comma, quote or line break.
enum CSVLine {
    static func make(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }

    /// A ratio with four decimals, empty when undefined.
    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }
}
