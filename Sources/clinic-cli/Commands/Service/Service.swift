import ArgumentParser
import Models
import Storage

/// `clinic service`: what patients can book.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Add and list bookable services.", subcommands: [Add.self, List.self])
}
