import ArgumentParser
import Models
import Storage

struct Complete: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complete", abstract: "Mark the appointment as done.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .completed, verb: "Completed") }
}
