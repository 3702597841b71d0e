import Foundation
import Testing

@Suite("Command line usage")
struct UsageTests {
    @Test("unknown subcommands, flags and values exit 64", arguments: [
        ["frobnicate"], ["patient", "frobnicate"], ["patient", "add", "--frobnicate"], ["site", "show", "--verbose"],
        ["staff", "add"], ["patient", "add", "--first", "Ana"], ["room", "add", "Bed 9", "--kind", "castle"],
        ["staff", "add", "jdoe", "--name", "Jane", "--discipline", "astrology"],
    ])
    func unknownUsage(arguments: [String]) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        let plain = sandbox.runClinic(arguments)
        #expect(plain.status == 64, "\(plain.stderr)")
        #expect(!plain.stderr.isEmpty)
        let json = sandbox.runClinic(arguments + ["--json"])
        #expect(json.status == 64)
        #expect(jsonError(json.stderr) != nil, "not a JSON error: \(json.stderr)")
        #expect(sandbox.siteCount("rooms") == 0)
        #expect(sandbox.siteCount("staff") == 1)
    }

    @Test("a parser error never echoes a typed value, even one holding an apostrophe", arguments: [
        ["patient", "find", "--limit", "O'Brien 1980-04-02 514-555-9999"],
        ["patient", "add", "--first", "Maria O'Neil", "555-1234", "--last", "Silva", "--dob", "1980-04-02"],
    ])
    func parserErrorsHideValues(arguments: [String]) throws {
        let sandbox = CLISandbox()
        try sandbox.initialise()
        for json in [false, true] {
            let result = sandbox.runClinic(arguments + (json ? ["--json"] : []))
            #expect(result.status == 64, "\(result.stderr)")
            for fragment in ["Brien", "1980-04-02", "514-555", "Neil", "555-1234"] {
                #expect(!result.stderr.contains(fragment), "\(fragment) leaked: \(result.stderr)")
            }
        }
    }

    /// Every command path under `clinic`, found through the SUBCOMMANDS sections of `--help`.
    static func commandPaths(_ sandbox: CLISandbox, under path: [String] = []) -> [[String]] {
        let help = sandbox.runClinic(path + ["--help"], database: false)
        var paths = [path]
        guard path.count < 4 else { return paths }
        for name in entries(in: help.stdout, section: "SUBCOMMANDS").map(\.label) {
            // "add (default)" names `add`; the closing "See 'clinic help …'" line is not a command.
            guard let command = name.split(separator: " ").first.map(String.init), command != "help",
                  command.first?.isLowercase == true,
                  command.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else { continue }
            paths += commandPaths(sandbox, under: path + [command])
        }
        return paths
    }

    /// The entries of a help section: each label (`--db <path>`) with its description text.
    static func entries(in help: String, section: String) -> [(label: String, text: String)] {
        var result: [(label: String, text: String)] = []
        var inSection = false
        for line in help.components(separatedBy: "\n") {
            if let first = line.first, first != " " {
                inSection = line.hasPrefix(section + ":")
                continue
            }
            guard inSection, !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if line.hasPrefix("  "), !line.hasPrefix("   ") {
                let body = line.dropFirst(2)
                // A label that fills its column is followed by a single space: `--regulator <regulator> Regulator …`.
                if let match = body.prefixMatch(of: optionLabel) {
                    result.append((String(body[match.range]), body[match.range.upperBound...].trimmingCharacters(in: .whitespaces)))
                } else if let gap = body.range(of: "  ") {
                    result.append((String(body[..<gap.lowerBound]), body[gap.upperBound...].trimmingCharacters(in: .whitespaces)))
                } else {
                    result.append((String(body), ""))
                }
            } else if let last = result.indices.last {
                result[last].text += " " + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return result
    }

    /// `-h, --help`, `--db <path>`, `--point <point> ...` or `<handle>`: an option or argument as help lists it.
    static var optionLabel: Regex<AnyRegexOutput> { try! Regex(#"(-[A-Za-z], )?--?[A-Za-z0-9-]+( <[^>]+>)?( \.\.\.)?|<[^>]+>( \.\.\.)?"#) }

    /// Description text without the defaults and value lists the parser adds on its own.
    static func ownWords(_ text: String) -> String {
        var words = text
        while let open = words.range(of: "(default:") ?? words.range(of: "(values:"),
              let close = words[open.upperBound...].firstIndex(of: ")") {
            words.removeSubrange(open.lowerBound...close)
        }
        return words.trimmingCharacters(in: .whitespaces)
    }

    @Test("--help of every command exits 0 and every option and argument has help text")
    func helpEverywhere() throws {
        let sandbox = CLISandbox()
        let paths = Self.commandPaths(sandbox)
        for expected in [["init"], ["site", "show"], ["staff", "add"], ["room", "add"], ["service", "add"], ["patient", "add"],
                         ["patient", "find"], ["patient", "show"], ["demo"]] {
            #expect(paths.contains(expected), "clinic \(expected.joined(separator: " ")) is missing from --help")
        }
        for path in paths {
            let label = (["clinic"] + path).joined(separator: " ")
            let help = sandbox.runClinic(path + ["--help"], database: false)
            #expect(help.status == 0, "\(label) --help: \(help.stderr)")
            #expect(help.stdout.contains("USAGE: \(label)"), "\(label) --help printed another command's usage")
            let options = Self.entries(in: help.stdout, section: "OPTIONS") + Self.entries(in: help.stdout, section: "ARGUMENTS")
            if !path.isEmpty, help.stdout.contains("SUBCOMMANDS:") == false {
                #expect(options.contains { $0.label.contains("--db") }, "\(label) has no --db")
                #expect(options.contains { $0.label.contains("--json") }, "\(label) has no --json")
            }
            for option in options {
                #expect(Self.ownWords(option.text).contains { $0.isLetter }, "\(label): \(option.label) has no help text")
            }
        }
        #expect(!sandbox.runClinic(["--help"], database: false).stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath), "--help created a database")
    }

    @Test("the help parser sees a missing description")
    func helpParserSelfCheck() {
        let help = """
        OPTIONS:
          --db <path>             Database file.
          --quiet
          --regulator <regulator> Regulator that issued it.
          <handle>                Short handle.
          --very-long-option-name <value>
                                  Described on the next line. (default: x)
          --kind <kind>           (values: bed, gym; default: bed)
          -h, --help              Show help information.

        """
        let entries = Self.entries(in: help, section: "OPTIONS")
        #expect(entries.map(\.label) == ["--db <path>", "--quiet", "--regulator <regulator>", "<handle>", "--very-long-option-name <value>",
                                          "--kind <kind>", "-h, --help"])
        #expect(entries.map { !Self.ownWords($0.text).isEmpty } == [true, false, true, true, true, false, true])
    }
}
