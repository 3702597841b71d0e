import ArgumentParser
import Models
import Storage

/// `clinic room`: treatment rooms and beds.
struct RoomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room", abstract: "Add and list treatment rooms and beds.", subcommands: [Add.self, List.self])
}
