import ArgumentParser
import Foundation
import Models

/// A parser error as the user reads it: the value they typed and the values allowed, except for options
/// that carry patient data (names, birth date, contact details, clinical text) and positional values
/// (a chart, a search), which are never repeated; an unknown command gets a "did you mean".
struct ParserMessage {
    let arguments: [String]

    /// Options whose values are about a patient: never echoed.
    static let patientOptions: Set<String> = Set(ClinicField.allCases.filter(\.carriesPatientData).map(\.option))
        .union(["--patient", "--text", "--name", "--admin-name", "--first", "--last", "--dob"])

    /// Options of the root command that take a value, so the word after them is not a command.
    static let globalValueOptions: Set<String> = ["--db", "--as"]

    /// Values the user typed for options that carry no patient data: safe to show back.
    var shownValues: Set<String> {
        var shown: Set<String> = [], hidden: Set<String> = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" { hidden.formUnion(arguments[(index + 1)...]); break }
            if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
                let option = String(word[..<equals]), value = String(word[word.index(after: equals)...])
                if Self.patientOptions.contains(option) { hidden.insert(value) } else { shown.insert(value) }
            } else if word.hasPrefix("-"), index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
                let value = arguments[index + 1]
                if Self.patientOptions.contains(word) { hidden.insert(value) } else { shown.insert(value) }
                index += 1
            } else if !word.hasPrefix("-"), !Clinic.commandNames.contains(word) {
                hidden.insert(word)
            }
            index += 1
        }
        // A value with a space or an apostrophe reads like a name or a sentence typed in the wrong place.
        return shown.subtracting(hidden).filter { !$0.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "’" }) }
    }

    /// Every typed word that must not appear in a message.
    var hiddenValues: [String] {
        let shown = shownValues
        return Set(arguments.filter { !$0.hasPrefix("-") && !shown.contains($0) && !Clinic.commandNames.contains($0) })
            .union(arguments.compactMap { word in
                guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return nil }
                let value = String(word[word.index(after: equals)...])
                return shown.contains(value) ? nil : value
            })
            .filter { !$0.isEmpty }
            .sorted { $0.count > $1.count }
    }

    /// The parser's `text` with hidden values blanked out, an invalid choice rephrased as
    /// "'monthly' is not a valid --repeat; use daily, weekly or every-2-weeks", and an unknown command
    /// answered with the nearest one.
    /// Whatever was typed, a control character in it (an escape sequence) is shown, never obeyed.
    func rendered(_ text: String) -> String {
        TerminalText.escaped(phrased(text), keepingLayout: true)
    }

    private func phrased(_ text: String) -> String {
        if let unknown = unknownCommand() { return unknown }
        // Long values first, so a value holding an apostrophe (O'Brien) cannot pair with the wrong quote.
        var text = hiddenValues.filter { $0.count >= 2 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "…") }
        text = Self.blankingQuoted(text, hidden: Set(hiddenValues))
        return Self.rephrasingChoice(text)
    }

    /// "unknown command 'bok'; did you mean 'book'?" when a word stands where a subcommand is expected.
    func unknownCommand() -> String? {
        var command: ParsableCommand.Type = Clinic.self
        var path: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" { return nil }
            if Self.globalValueOptions.contains(word) { index += 2; continue }
            if word.hasPrefix("-") { index += 1; continue }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            var names: [String] = []
            var matched: ParsableCommand.Type?
            for subcommand in subcommands {
                let configuration = subcommand.configuration
                guard let name = configuration.commandName else { continue }
                names.append(name)
                if name == word || configuration.aliases.contains(word) { matched = subcommand }
            }
            if let matched {
                command = matched
                path.append(word)
                index += 1
                continue
            }
            // Only a word that reads as a command is repeated: anything else may be a name typed in the wrong place.
            guard word.count <= 24, word.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                return "unknown command after 'clinic\(path.map { " " + $0 }.joined())'"
            }
            return "unknown command 'clinic\(path.map { " " + $0 }.joined()) \(word)'" + Suggestion.phrase(for: word, among: names)
        }
        return nil
    }

    /// Quoted text that is a hidden typed value becomes '…'; the parser's own words (option names,
    /// allowed values) and values safe to show stay.
    static func blankingQuoted(_ text: String, hidden: Set<String>) -> String {
        var output = ""
        var remainder = Substring(text)
        while let open = remainder.firstIndex(of: "'") {
            output += remainder[..<open]
            let afterOpen = remainder.index(after: open)
            guard let close = remainder[afterOpen...].firstIndex(of: "'") else {
                output += remainder[open...]
                return output
            }
            let quoted = String(remainder[afterOpen..<close])
            output += hidden.contains(quoted) ? "'…'" : "'\(quoted)'"
            remainder = remainder[remainder.index(after: close)...]
        }
        return output + remainder
    }

    /// argument-parser's "The value 'X' is invalid for '--opt <v>'. Please provide one of 'a', 'b' or 'c'."
    /// (or its bulleted list) as "'X' is not a valid --opt; use a, b or c".
    static func rephrasingChoice(_ text: String) -> String {
        let prefix = "The value '"
        guard text.hasPrefix(prefix), let forRange = text.range(of: "' is invalid for '"),
              let listRange = text.range(of: ". Please provide one of ") else { return text }
        let value = text[text.index(text.startIndex, offsetBy: prefix.count)..<forRange.lowerBound]
        let option = text[forRange.upperBound..<listRange.lowerBound].split(separator: " ").first.map { $0.replacingOccurrences(of: "'", with: "") } ?? ""
        var list = String(text[listRange.upperBound...])
        var choices: [String]
        if list.hasPrefix("the following:") {
            choices = list.split(separator: "\n").dropFirst().map { $0.trimmingPrefix("  - ").description }
        } else {
            if list.hasSuffix(".") { list.removeLast() }
            choices = list.replacingOccurrences(of: " or ", with: ", ").replacingOccurrences(of: " and ", with: ", ")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "'", with: "") }
        }
        choices = choices.filter { !$0.isEmpty }
        guard let last = choices.popLast() else { return text }
        let allowed = choices.isEmpty ? last : choices.joined(separator: ", ") + " or " + last
        let suggestion = value == "…" ? "" : Suggestion.closest(to: String(value), among: choices + [last]).map { " (did you mean '\($0)'?)" } ?? ""
        return "'\(value)' is not a valid \(option); use \(allowed)\(suggestion)"
    }
}
