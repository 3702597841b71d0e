import Foundation

/// One CSV output line: fields quoted when they hold a comma, quote or line break, and text a
/// spreadsheet would run as a formula (`=HYPERLINK(…)`, `+SUM(…)`, `@…`, `-…`) prefixed with `'`, as
/// OWASP advises for CSV injection: a name or a note typed that way stays text. Numbers stay numbers.
enum CSVLine {
    static func make(_ fields: [String]) -> String {
        fields.map { raw in
            let field = defused(raw)
            return field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }

    /// The field, with `'` before a leading `=`, `+`, `-`, `@`, tab or carriage return unless it is a number.
    static func defused(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        if Double(field) != nil { return field }
        return "'" + field
    }

    /// A ratio with four decimals, empty when undefined.
    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }
}
