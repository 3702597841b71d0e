import Foundation
import Testing

/// One runnable example block of docs/CLI.md (a fence with the info string `console runnable`): its
/// `$ clinic …` lines run in order against one fresh demo database, each with what it must do.
struct DocsExample: Sendable, CustomTestStringConvertible {
    /// One command of the block and the expectations written on the lines right after it.
    struct Step: Sendable {
        let line: Int
        let text: String
        var exit: Int32 = 0
        var prints: [String] = []
    }

    let heading: String
    let line: Int
    var steps: [Step] = []

    var testDescription: String { "\(heading) (docs/CLI.md:\(line))" }
}

/// Reads docs/CLI.md's runnable examples and splits their command lines as a shell would.
enum DocsExamples {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/CLI.md")
    /// The clock of every example: the demo's week starts on Monday 2026-11-23, 09:00 in Montréal.
    static let now = "2026-11-23T14:00:00Z"

    static let all: [DocsExample] = (try? String(contentsOf: file, encoding: .utf8)).map(parse) ?? []

    /// Every `console runnable` block, named by the Markdown heading above it.
    static func parse(_ text: String) -> [DocsExample] {
        var examples: [DocsExample] = []
        var heading = "docs/CLI.md"
        var current: DocsExample?
        var inOtherFence = false
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var example = current {
                if line.hasPrefix("```") {
                    examples.append(example)
                    current = nil
                } else if line.hasPrefix("$ ") {
                    example.steps.append(.init(line: number, text: String(line.dropFirst(2))))
                    current = example
                } else if let last = example.steps.indices.last, line.hasPrefix("# exit ") {
                    example.steps[last].exit = Int32(line.dropFirst("# exit ".count).trimmingCharacters(in: .whitespaces)) ?? -1
                    current = example
                } else if let last = example.steps.indices.last, line.hasPrefix("# prints: ") {
                    example.steps[last].prints.append(String(line.dropFirst("# prints: ".count)))
                    current = example
                }
                continue
            }
            if line.hasPrefix("```") {
                if !inOtherFence, line.dropFirst(3).split(separator: " ") == ["console", "runnable"] {
                    current = DocsExample(heading: heading, line: number)
                } else {
                    inOtherFence.toggle()
                }
            } else if !inOtherFence, line.hasPrefix("#") {
                heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            }
        }
        return examples
    }

    struct SplitError: Error, CustomStringConvertible {
        let description: String
    }

    /// The words of a command line: double quotes (with `\"` and `\\`), single quotes, backslash escapes.
    /// Pipes, redirections, variables and command separators are refused: examples stay single commands.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                while true {
                    guard let next = characters.next() else { throw SplitError(description: "unterminated ' in: \(line)") }
                    if next == "'" { break }
                    word.append(next)
                }
            case "\"":
                inWord = true
                while true {
                    guard let next = characters.next() else { throw SplitError(description: "unterminated \" in: \(line)") }
                    if next == "\"" { break }
                    if next == "\\" {
                        guard let escaped = characters.next() else { throw SplitError(description: "dangling \\ in: \(line)") }
                        if escaped != "\"" && escaped != "\\" { word.append("\\") }
                        word.append(escaped)
                    } else if next == "$" || next == "`" {
                        throw SplitError(description: "no variables or substitutions in examples: \(line)")
                    } else {
                        word.append(next)
                    }
                }
            case "\\":
                guard let escaped = characters.next() else { throw SplitError(description: "dangling \\ in: \(line)") }
                word.append(escaped)
                inWord = true
            case "|", ";", "&", "<", ">", "$", "`", "(", ")":
                throw SplitError(description: "no pipes, redirections, variables or separators in examples: \(line)")
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

@Suite("docs/CLI.md examples")
struct DocsExamplesTests {
    @Test("docs/CLI.md has runnable examples, each with commands")
    func examplesArePresent() {
        #expect(DocsExamples.all.count >= 6, "docs/CLI.md should hold at least 6 ```console runnable blocks")
        for example in DocsExamples.all {
            #expect(!example.steps.isEmpty, "\(example.testDescription) has no '$ clinic …' line")
        }
    }

    @Test("command lines split as a shell splits them", arguments: [
        (#"clinic book --at "2026-12-01 10:00" --room 'Bed 1'"#, ["clinic", "book", "--at", "2026-12-01 10:00", "--room", "Bed 1"]),
        (#"clinic note edit x --subjective "She said \"better\"""#, ["clinic", "note", "edit", "x", "--subjective", #"She said "better""#]),
        (#"clinic search 'trap*'  x\ y"#, ["clinic", "search", "trap*", "x y"]),
        (#"clinic patient find """#, ["clinic", "patient", "find", ""]),
    ])
    func splitting(line: String, words: [String]) throws {
        #expect(try DocsExamples.words(line) == words)
    }

    @Test("pipes, variables and redirections are refused", arguments: ["clinic schedule | less", "clinic --db $X schedule", "clinic x > f", "clinic 'open"])
    func refusedLines(line: String) {
        #expect(throws: DocsExamples.SplitError.self) { try DocsExamples.words(line) }
    }

    @Test("a runnable block is parsed with its expectations")
    func parsing() {
        let text = """
            # Desk

            ```console runnable
            $ clinic schedule --date 2026-11-23 --as accueil
            TIME  WHO
            # prints: Bed 1
            # exit 0
            $ clinic note show x --as accueil
            # exit 1
            # prints: forbidden
            ```

            ```sh
            # not a heading
            $ clinic not run
            ```
            """
        let examples = DocsExamples.parse(text)
        #expect(examples.count == 1)
        #expect(examples.first?.heading == "Desk")
        #expect(examples.first?.steps.map(\.exit) == [0, 1])
        #expect(examples.first?.steps.map(\.prints) == [["Bed 1"], ["forbidden"]])
        #expect(examples.first?.steps.first?.line == 4)
    }

    @Test("runs as documented", arguments: DocsExamples.all)
    func runs(_ example: DocsExample) throws {
        let sandbox = try DocsSandbox()
        let demo = try sandbox.run(["demo"])
        try #require(demo.status == 0, "clinic demo failed: \(demo.stderr)")
        for step in example.steps {
            let words = try DocsExamples.words(step.text)
            try #require(words.first == "clinic", "docs/CLI.md:\(step.line): a runnable line starts with '$ clinic'")
            let result = try sandbox.run(Array(words.dropFirst()))
            let output = result.stdout + result.stderr
            #expect(result.status == step.exit,
                    "docs/CLI.md:\(step.line): `\(step.text)` exited \(result.status), not \(step.exit):\n\(output)")
            for text in step.prints {
                #expect(output.contains(text), "docs/CLI.md:\(step.line): `\(step.text)` did not print \"\(text)\":\n\(output)")
            }
        }
    }
}

/// A fresh folder with a demo database as `$CLINIC_DB`: what a reader of docs/CLI.md has after `clinic demo`
/// and `export CLINIC_DB=…`, with the demo's passphrase in `$CLINIC_PASSPHRASE` (stdin is not a terminal).
final class DocsSandbox {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Runs `clinic` in the folder (relative `--to` files land there) and collects what it printed.
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CLINIC_") }
        environment["CLINIC_DB"] = folder.appendingPathComponent("clinic.sqlite").path
        environment["CLINIC_NOW"] = DocsExamples.now
        environment["CLINIC_PASSPHRASE"] = TestIdentity.demoPassphrase
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("data").path
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
        environment["COLUMNS"] = "200"
        let result = try ClinicBinary.run(arguments, environment: environment, folder: folder, inFolder: true)
        return (result.status, result.stdout, result.stderr)
    }
}
