import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a staff member's roles (admin only).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: ArgumentHelp("New roles, replacing the old: clinician, front-desk or admin, comma-separated.", valueName: "roles"))
        var role: String
        @Option(help: "Discipline (needed when the member becomes a clinician without one).") var discipline: Discipline?

        func run() throws {
            let roles = try StaffRole.parseList(role)
            let session = try global.open()
            let staff = try session.acting.setRoles(handle: handle, roles: roles, discipline: discipline)
            try session.emit(StaffView(staff, credentials: [])) { "'\(staff.handle)' is now \(staff.roleList)" }
        }
    }
}
