import ArgumentParser
import Models
import Storage

extension RoomCommand {
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
}
