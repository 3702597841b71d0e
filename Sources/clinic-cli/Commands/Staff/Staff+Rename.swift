import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rename",
            abstract: "Give a staff member a new handle at every site (admin only); they keep everything else.",
            discussion: """
            Renaming is a synced change of the member's row: once other sites import it, they know the member by the new \
            handle too. Handles are unique across the network. When sync has brought two members under one handle (a \
            duplicate-handle conflict), name the one to rename by its id suffix (8 or more hex digits, as 'staff list' and \
            'sync conflicts' show it); renaming one ends the conflict everywhere. Passphrase, signing keys, open sessions, \
            appointments and history stay; logins and --as use the new handle.
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The member's handle, or their id suffix when two members share the handle.", valueName: "old"))
        var member: String
        @Argument(help: ArgumentHelp("The new handle: 2–32 lower-case letters, digits, '.', '-' or '_', starting with a letter.", valueName: "new"))
        var handle: String

        func run() throws {
            try Practitioner.validate(handle: handle)
            let session = try global.open()
            let (previous, renamed) = try session.acting.renameStaff(member, to: handle)
            try session.emit(RenameView(staff: StaffView(renamed, credentials: []), previous: previous)) {
                "Renamed '\(previous)' (id …\(IDSuffix.short(renamed.id))) to '\(renamed.handle)'; other sites learn it at the next sync"
            }
        }
    }
}

/// `staff rename --json`: the member as `staff list` shows them, and what they were named by.
struct RenameView: Encodable {
    let staff: StaffView
    let previous: String

    func encode(to encoder: any Encoder) throws {
        try staff.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(previous, forKey: .previous)
    }

    private enum Key: String, CodingKey { case previous = "previous_handle" }
}
