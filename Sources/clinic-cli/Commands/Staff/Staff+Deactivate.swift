import ArgumentParser
import Models
import Storage

extension StaffCommand {
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
}
