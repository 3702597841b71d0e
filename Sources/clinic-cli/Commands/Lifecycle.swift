import ArgumentParser
import Models
import Storage

/// `clinic reschedule`: move an appointment with the same checks as a booking.
struct Reschedule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move an appointment to a new time, practitioner or room.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    @Option(help: "New start: \"2026-12-02 10:00\" in the site's zone.") var at: String
    @Option(name: .customLong("with"), help: "New practitioner handle (default: unchanged).") var practitioner: String?
    @Option(help: "New room (default: the same one if free, else the first free).") var room: String?

    func run() throws {
        let session = try global.open()
        let zone = try session.zone()
        let record = try session.acting.reschedule(appointment, start: try zone.parseTime(at), practitionerHandle: practitioner,
                                                   roomName: room)
        try session.emit(AppointmentList([record], zone: zone)) { "Moved:\n" + appointmentTable([record], zone: zone) }
    }
}

/// `clinic cancel`: kept as a status; late when under 24 h notice.
struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an appointment (flagged late under 24 h notice).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    @Option(help: "Why, e.g. \"patient ill\".") var reason: String?
    @Flag(help: "Also cancel every later occurrence of its recurring series.") var series = false

    func run() throws {
        let session = try global.open()
        let zone = try session.zone()
        let records = try session.acting.cancel(appointment, reason: reason, series: series)
        try session.emit(AppointmentList(records, zone: zone)) { "Cancelled:\n" + appointmentTable(records, zone: zone) }
    }
}

/// Shared body of check-in, no-show and complete.
struct StatusChange {
    static func run(_ global: GlobalOptions, _ appointment: String, to status: AppointmentStatus, verb: String) throws {
        let session = try global.open()
        let zone = try session.zone()
        let record = try session.acting.setStatus(appointment, to: status)
        try session.emit(AppointmentList([record], zone: zone)) { "\(verb):\n" + appointmentTable([record], zone: zone) }
    }
}

struct CheckIn: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkin", abstract: "Mark the patient as arrived.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .checkedIn, verb: "Checked in") }
}

struct NoShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "noshow", abstract: "Mark the patient as not come.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .noShow, verb: "No-show") }
}

struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complete", abstract: "Mark the appointment as done.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .completed, verb: "Completed") }
}
