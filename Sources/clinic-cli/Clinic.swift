import ArgumentParser
import Foundation
import Models
import Storage

/// The `clinic` command: scheduling and session notes for interdisciplinary clinics.
@main
struct Clinic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic",
        abstract: "Scheduling, needling records and signed notes for interdisciplinary clinics, offline and multi-site.",
        discussion: TopLevelHelp.discussion,
        version: ClinicVersion.line,
        subcommands: [
            Initialise.self, Login.self, Logout.self, Whoami.self, ChangePassphrase.self, RecoverAdmin.self, SiteCommand.self, RoomCommand.self, StaffCommand.self, ServiceCommand.self,
            PatientCommand.self, Book.self, Slots.self, Reschedule.self, Cancel.self, CheckIn.self, NoShow.self,
            Complete.self, Schedule.self, Appointments.self, ConsentCommand.self, NoteCommand.self, NotesHistory.self, Search.self, Audit.self,
            SyncCommand.self, DoctorCommand.self, Demo.self, ExportCommand.self, ImportCommand.self, ReportCommand.self,
        ]
    )

    /// `--db`, `--as` and `--json`, parsed here once wherever they are typed: argument-parser reads a root
    /// command's options before or after the subcommand's name (`clinic --json schedule`, `clinic schedule --json`).
    /// Each leaf command names the same group (`@OptionGroup var global: GlobalOptions`) and receives this parsed
    /// value, not a second parse: that is argument-parser's way to list a parent's options in the leaf's `--help`
    /// too, which `@ParentCommand` would leave out.
    @OptionGroup var global: GlobalOptions

    /// Parses, runs, and turns every failure into the exit codes of docs/CLI.md.
    static func main() {
        PassphraseInput.forgetEnvironment()
        let arguments = Array(CommandLine.arguments.dropFirst())
        let wantsJSON = arguments.contains("--json")
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as ClinicError {
            fail(code: error.code.name, message: error.commandLineMessage, exitCode: ExitStatus.code(for: error.category), json: wantsJSON)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as StorageError {
            fail(code: error.code.name, message: error.message, exitCode: ExitStatus.code(for: error.code.category), json: wantsJSON)
        } catch {
            let status = exitCode(for: error)
            guard status != .success else { exit(withError: error) }
            let text = ParserMessage(arguments: arguments).rendered(message(for: error))
            if wantsJSON { fail(code: ErrorCode.usage.name, message: text, exitCode: status.rawValue, json: true) }
            StandardError.write("Error: \(text)\n" + helpHint(for: arguments))
            Foundation.exit(status.rawValue)
        }
    }

    /// Every subcommand's name, which usage lines repeat and which is never a value to hide.
    static let commandNames: Set<String> = {
        var names: Set<String> = [], pending: [ParsableCommand.Type] = [Clinic.self]
        while let command = pending.popLast() {
            if let name = command.configuration.commandName { names.insert(name) }
            pending += command.configuration.subcommands
        }
        return names
    }()

    /// Names the command typed (its first two command names), wherever the global options stand.
    static func helpHint(for arguments: [String]) -> String {
        let words = arguments.prefix { $0 != "--" }.filter(commandNames.contains).prefix(2)
        return "See 'clinic \(words.isEmpty ? "" : words.joined(separator: " ") + " ")--help' for more information."
    }

    static func fail(code: String, message: String, exitCode: Int32, json: Bool) -> Never {
        if json, let text = try? JSONOutput.compact(ErrorDocument(error: .init(code: code, message: message))) {
            StandardError.write(text)
        } else {
            StandardError.write("clinic: \(TerminalText.escaped(message, keepingLayout: true)) [\(code)]")
        }
        Foundation.exit(exitCode)
    }
}

/// The exit codes of docs/CLI.md.
enum ExitStatus {
    static let refused: Int32 = 1
    static let usage: Int32 = 64
    static let badInput: Int32 = 65
    static let io: Int32 = 74

    static func code(for category: ErrorCategory) -> Int32 {
        switch category {
        case .refused: return refused
        case .usage: return usage
        case .badInput: return badInput
        case .io: return io
        }
    }
}
