import ArgumentParser
import Models
import Storage

/// `clinic patient`: registration and look-up at the front desk.
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Register, find and show patients.", subcommands: [Add.self, Find.self, Show.self, Edit.self, Archive.self, Merge.self, PrecautionCommand.self])
}
