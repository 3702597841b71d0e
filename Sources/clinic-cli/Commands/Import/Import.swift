import ArgumentParser
import Foundation
import Models
import Storage

extension CSVDateFormat: ExpressibleByArgument {}

/// `clinic import`: bring records from other systems in, all or nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import records exported by other clinic software.", subcommands: [Patients.self])
}
