import ArgumentParser
import Models
import Storage

/// `clinic reschedule`: move an appointment with the same checks as a booking.
struct Reschedule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move an appointment to a new time, practitioner or room.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    @Option(help: "New start: \"2026-12-02 10:00\" in the site's zone.") var at: String
    @Option(name: .customLong("with"), help: "New practitioner handle (default: unchanged).", completion: Completions.practitioners) var practitioner: String?
    @Option(help: "New room (default: the same one if free, else the first free).", completion: Completions.rooms) var room: String?

    func run() throws {
        let session = try global.open()
        let zone = try session.zone()
        let record = try session.acting.reschedule(appointment, start: try zone.parseTime(at), practitionerHandle: practitioner,
                                                   roomName: room)
        let times = try session.times()
        try session.emit(AppointmentList([record], times: times)) { "Moved:\n" + appointmentTable([record], times: times) }
    }
}
