import ArgumentParser
import Models
import Storage

struct CheckIn: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkin", abstract: "Mark the patient as arrived.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .checkedIn, verb: "Checked in") }
}
