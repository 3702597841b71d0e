import ArgumentParser
import Models
import Storage

struct NoShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "noshow", abstract: "Mark the patient as not come.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Appointment id or its last 8+ hex digits.") var appointment: String
    func run() throws { try StatusChange.run(global, appointment, to: .noShow, verb: "No-show") }
}
