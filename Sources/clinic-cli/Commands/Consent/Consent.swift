import ArgumentParser
import Models
import Storage

/// `clinic consent`: informed consent per intervention, recorded and withdrawn, never deleted.
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record or withdraw a patient's consent to an intervention.", subcommands: [Record.self, Withdraw.self])
}

extension Intervention: ExpressibleByArgument {}
