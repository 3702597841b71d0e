import ArgumentParser
import Models
import Storage

extension RoomCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a room or bed (one appointment at a time) at a site.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Room name, e.g. \"Bed 1\"; unique at its site.") var name: String
        @Option(help: "Kind of space.") var kind: RoomKind = .bed
        @Option(help: ArgumentHelp("Site the room is at, by code (default: this database's site).", valueName: "code")) var site: String?

        func run() throws {
            let session = try global.open()
            let added = try session.acting.addRoom(name: name, kind: kind, siteCode: site)
            try session.emit(RoomView(added.room, site: added.site)) {
                "Added room '\(added.room.name)' (\(added.room.kind.rawValue)) at \(added.site.code)"
            }
        }
    }
}
