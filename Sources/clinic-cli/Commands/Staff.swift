import ArgumentParser
import Models
import Storage

/// `clinic staff`: people, their credentials, hours and time off.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage staff: clinicians, front desk and admins.",
        subcommands: [Add.self, List.self, Edit.self, Deactivate.self, ResetPassphrase.self, RotateKey.self, CredentialCommand.self, Hours.self,
                      TimeOff.self])

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

    struct ResetPassphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-passphrase",
            abstract: "Set another member's passphrase (admin only): it allows only 'clinic passphrase' until they choose their own.",
            discussion: "Their open sessions end and their signing key at this site is retired from now; a new key pair is made when they set their own passphrase.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: ArgumentHelp("File whose first line is the new passphrase. Else a prompt on a terminal.", valueName: "file"))
        var passphraseFile: String?

        func run() throws {
            let passphrase = try PassphraseInput.requireNew(file: passphraseFile, what: handle)
            let session = try global.open()
            try session.acting.resetPassphrase(handle: handle, to: passphrase)
            try session.emit(ResetPassphraseView(handle: handle, must_change: true)) {
                "Reset the passphrase of '\(handle)': their sessions ended and their signing key here is retired; they must choose their own with 'clinic passphrase'"
            }
        }
    }

    struct RotateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Retire a clinician's signing key at this site from now (admin only); old signatures keep verifying.",
            discussion: "The new key pair is made at once when admins rotate their own key, else at the clinician's next signature (it needs their passphrase).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Clinician's handle.") var handle: String

        func run() throws {
            let session = try global.open()
            let rotated = try session.acting.rotateKey(handle: handle)
            try session.emit(RotatedKeyView(handle: handle, retired: rotated.retired, new_key: rotated.newKey)) {
                "Retired \(rotated.retired) signing key(s) of '\(handle)' here"
                    + (rotated.newKey.map { "; new key \($0)" } ?? "; a new key pair is made at their next signature")
            }
        }
    }

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

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deactivate",
            abstract: "Stop a staff member acting at every site (admin only); their history and bookings stay.",
            discussion: "Deactivation is a synced change: once other sites import it, the handle is refused there too.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String

        func run() throws {
            let session = try global.open()
            let staff = try session.acting.deactivateStaff(handle: handle)
            try session.emit(StaffView(staff, credentials: [])) { "Deactivated '\(staff.handle)'" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff with their credentials.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try global.open()
            let views = try session.acting.staffList().map { StaffView($0.staff, credentials: $0.credentials) }
            try session.emit(["staff": views]) {
                var table = TextTable("HANDLE", "NAME", "ROLE", "DISCIPLINE", "SCOPES")
                for v in views {
                    let scopes = v.credentials.map { $0.scope + ($0.expires.map { " (to \($0))" } ?? "") }.joined(separator: ", ")
                    table.add(v.handle, v.name, v.active ? v.role : v.role + " (deactivated)", v.discipline ?? "—", scopes.isEmpty ? "—" : scopes)
                }
                return table.render()
            }
        }
    }

    struct CredentialCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credential", abstract: "Record a regulator's credential for a scope of practice.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Scope: dry-needling, acupuncture, electro-stim or manipulation.") var scope: Scope
        @Option(help: "Regulator that issued it, e.g. OPPQ or OAQ.") var regulator: String
        @Option(help: "Licence or registration number.") var number: String
        @Option(help: "Last valid day, YYYY-MM-DD (omit if it does not expire).") var expires: String?

        func run() throws {
            let expiry = try expires.map { try CivilDate.parse($0, field: .expiry) }
            let session = try global.open()
            let credential = Credential(scope: scope, regulator: regulator, number: number, expires: expiry)
            try session.acting.addCredential(handle: handle, credential: credential)
            try session.emit(CredentialView(credential)) {
                "Recorded \(scope.rawValue) credential for '\(handle)'" + (expiry.map { ", valid to \($0)" } ?? "")
            }
        }
    }

    struct Hours: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hours", abstract: "Set weekly working hours, in the site's time zone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Weekday: mon, tue, wed, thu, fri, sat or sun.") var day: String
        @Option(help: "Start of the working range, HH:MM.") var from: String?
        @Option(help: "End of the working range, HH:MM.") var to: String?
        @Flag(help: "Remove every working range on that day instead.") var clear = false

        func run() throws {
            let session = try global.open()
            if clear {
                guard let weekday = Weekday.parse(day) else {
                    throw ClinicError(.invalidDay, "--day must be one of mon, tue, wed, thu, fri, sat, sun")
                }
                try session.acting.clearHours(handle: handle, weekday: weekday)
                try session.emit(["cleared": Weekday.name(weekday)]) { "Cleared \(Weekday.name(weekday)) for '\(handle)'" }
                return
            }
            guard let from, let to else { throw ValidationError("--from and --to are required unless --clear is given") }
            let hours = try WorkingHours.parse(day: day, from: from, to: to)
            try session.acting.addHours(handle: handle, hours: hours)
            try session.emit(hours) {
                "'\(handle)' works \(Weekday.name(hours.weekday)) \(TimeOfDay.format(hours.startMinute))–\(TimeOfDay.format(hours.endMinute))"
            }
        }
    }

    struct TimeOff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeoff", abstract: "Record time off (no bookings), wall-clock in the site's zone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Start, e.g. \"2026-12-24 00:00\".") var from: String
        @Option(help: "End (exclusive), e.g. \"2026-12-27 00:00\".") var to: String
        @Option(help: "Reason shown on the schedule, e.g. holiday.") var reason: String?

        func run() throws {
            let session = try global.open()
            let zone = try session.zone()
            let span = TimeSpan(start: try zone.parseTime(from, field: .startTime), end: try zone.parseTime(to, field: .endTime))
            try session.acting.addTimeOff(handle: handle, interval: span, reason: reason)
            struct View: Encodable { let staff: String, from: String, to: String }
            try session.emit(View(staff: handle, from: Instant.iso(span.start), to: Instant.iso(span.end))) {
                "'\(handle)' is off from \(zone.format(span.start)) to \(zone.format(span.end))"
            }
        }
    }
}

/// A staff member as JSON shows it.
struct StaffView: Encodable {
    let handle: String, name: String, role: String, roles: [String], active: Bool, discipline: String?, id: String
    let credentials: [CredentialView]

    init(_ staff: Practitioner, credentials: [Credential]) {
        handle = staff.handle
        name = staff.name
        role = staff.roleList
        roles = StaffRole.allCases.filter(staff.roles.contains).map(\.rawValue)
        active = staff.active
        discipline = staff.discipline?.rawValue
        id = staff.id
        self.credentials = credentials.map(CredentialView.init)
    }
}

struct CredentialView: Encodable {
    let scope: String, regulator: String, number: String, expires: String?

    init(_ credential: Credential) {
        scope = credential.scope.rawValue
        regulator = credential.regulator
        number = credential.number
        expires = credential.expires?.description
    }
}

/// What `staff rotate-key` did.
struct RotatedKeyView: Encodable {
    let handle: String
    let retired: Int
    let new_key: String?
}

/// What `staff reset-passphrase` did.
struct ResetPassphraseView: Encodable {
    let handle: String
    let must_change: Bool
}
