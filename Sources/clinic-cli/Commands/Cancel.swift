import ArgumentParser
import Models
import Storage

/// `clinic cancel`: kept as a status; late when under 24 h notice.
struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel an appointment (flagged late under 24 h notice).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    @Option(help: "Why, e.g. \"patient ill\".") var reason: String?
    @Flag(help: "Also cancel every later occurrence of its recurring series.") var series = false

    func run() throws {
        let session = try global.open()
        let times = try session.times()
        let records = try session.acting.cancel(appointment, reason: reason, series: series)
        try session.emit(AppointmentList(records, times: times)) { "Cancelled:\n" + appointmentTable(records, times: times) }
    }
}
