import ArgumentParser
import Models
import Storage

/// `clinic service`: what patients can book.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Add, offer and list bookable services.", subcommands: [Add.self, Offer.self, List.self])
}
