import ArgumentParser
import Models
import Storage

/// Shared body of check-in, no-show and complete.
struct StatusChange {
    static func run(_ global: GlobalOptions, _ appointment: String, to status: AppointmentStatus, verb: String) throws {
        let session = try global.open()
        let times = try session.times()
        let record = try session.acting.setStatus(appointment, to: status)
        try session.emit(AppointmentList([record], times: times)) { "\(verb):\n" + appointmentTable([record], times: times) }
    }
}
