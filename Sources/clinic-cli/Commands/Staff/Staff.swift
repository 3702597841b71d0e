import ArgumentParser
import Models
import Storage

/// `clinic staff`: people, their credentials, hours and time off.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage staff: clinicians, front desk and admins.",
        subcommands: [Add.self, List.self, Edit.self, Rename.self, Deactivate.self, ResetPassphrase.self, RotateKey.self, CredentialCommand.self, Hours.self,
                      TimeOff.self])
}
