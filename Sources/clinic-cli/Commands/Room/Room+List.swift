import ArgumentParser
import Models
import Storage

extension RoomCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a site's rooms in booking order.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Site whose rooms to list, by code (default: this database's site).", valueName: "code")) var site: String?

        func run() throws {
            let session = try global.open()
            let listed = try session.acting.rooms(siteCode: site)
            try session.emit(["rooms": listed.rooms.map { RoomView($0, site: listed.site) }]) {
                guard !listed.rooms.isEmpty else { return "No rooms at \(listed.site.code) yet; add one with 'clinic room add NAME --site \(listed.site.code)'." }
                var table = TextTable("ROOM", "KIND", "SITE")
                for room in listed.rooms { table.add(room.name, room.kind.rawValue, listed.site.code) }
                return table.render()
            }
        }
    }
}
