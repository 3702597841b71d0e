import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a staff member under a unique handle.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Short handle used everywhere, e.g. jdoe.") var handle: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Discipline (required for clinicians).") var discipline: Discipline?
        @Option(help: ArgumentHelp("Roles: clinician, front-desk or admin; several comma-separated (admin,clinician).", valueName: "roles"))
        var role = "clinician"
        @Option(help: ArgumentHelp("File whose first line is the member's first passphrase, which they must change before anything else. Else a prompt on a terminal; without either, set it later with 'staff reset-passphrase'.", valueName: "file"))
        var passphraseFile: String?

        func run() throws {
            let roles = try StaffRole.parseList(role)
            try Practitioner.validate(handle: handle)
            try Practitioner.validate(roles: roles, discipline: discipline)
            let passphrase = try PassphraseInput.new(file: passphraseFile, what: handle)
            let session = try global.open()
            let staff = try session.acting.addStaff(handle: handle, name: name, discipline: discipline, roles: roles, passphrase: passphrase)
            try session.emit(StaffView(staff, credentials: [])) {
                "Added \(staff.roleList) '\(staff.handle)'" + (staff.discipline.map { " (\($0.rawValue))" } ?? "")
                    + (passphrase == nil ? "\n'\(staff.handle)' has no passphrase yet: set one with 'clinic staff reset-passphrase \(staff.handle)'"
                                         : "\n'\(staff.handle)' must choose their own passphrase with 'clinic passphrase' before anything else")
            }
        }
    }
}
