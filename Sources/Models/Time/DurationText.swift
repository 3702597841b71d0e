/// Durations as people type them: `30m`, `1h`, `1h30m`, `90m`.
public enum DurationText {
    /// Whole minutes in `text`, or a usage error naming the expected form.
    public static func minutes(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var total = 0
        var digits = ""
        var sawUnit = false
        var lastUnit: Character?
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "h" || character == "m" {
                guard !digits.isEmpty, digits.count <= 5, let value = Int(digits),
                      lastUnit == nil || (lastUnit == "h" && character == "m") else { throw invalid(text) }
                total += character == "h" ? value * 60 : value
                digits = ""
                sawUnit = true
                lastUnit = character
            } else {
                throw invalid(text)
            }
        }
        guard sawUnit, digits.isEmpty, total > 0, total <= 24 * 60 else { throw invalid(text) }
        return total
    }

    /// Formats minutes back the way users write them.
    public static func format(minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        switch (hours, rest) {
        case (0, _): return "\(rest)m"
        case (_, 0): return "\(hours)h"
        default: return "\(hours)h\(rest)m"
        }
    }

    private static func invalid(_ text: String) -> ClinicError {
        ClinicError(.invalidDuration, ErrorMessage(verbatim: "duration must look like 30m, 1h or 1h30m (at most 24h)" + ErrorMessage.given(text, for: nil)))
    }
}

import Foundation
