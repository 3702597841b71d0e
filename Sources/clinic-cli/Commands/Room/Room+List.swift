import ArgumentParser
import Models
import Storage

extension RoomCommand {
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
