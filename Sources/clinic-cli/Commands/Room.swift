import ArgumentParser
import Models
import Storage

/// `clinic room`: treatment rooms and beds.
struct RoomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room", abstract: "Add and list treatment rooms and beds.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a room or bed (one appointment at a time).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Room name, e.g. \"Bed 1\".") var name: String
        @Option(help: "Kind of space.") var kind: RoomKind = .bed

        func run() throws {
            let session = try global.open()
            let room = try session.acting.addRoom(name: name, kind: kind)
            try session.emit(room) { "Added room '\(room.name)' (\(room.kind.rawValue))" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List rooms in booking order.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try global.open()
            let rooms = try session.acting.rooms()
            try session.emit(["rooms": rooms]) {
                var table = TextTable("ROOM", "KIND")
                for room in rooms { table.add(room.name, room.kind.rawValue) }
                return table.render()
            }
        }
    }
}
