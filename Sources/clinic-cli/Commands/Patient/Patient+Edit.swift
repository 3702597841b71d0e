import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit", abstract: "Correct a patient's record; fields not given stay as they are.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }
        @Option(help: "New first name(s).") var first: String?
        @Option(help: "New last name(s).") var last: String?
        @Option(help: "New date of birth, YYYY-MM-DD.") var dob: String?
        @Option(help: "New phone number (\"\" clears it).") var phone: String?
        @Option(help: "New e-mail address (\"\" clears it).") var email: String?
        @Option(help: "Postal address, one line (\"\" clears it).") var address: String?
        @Option(help: "Emergency contact: name and phone, one line (\"\" clears it).") var emergencyContact: String?

        func validate() throws {
            if [first, last, dob, phone, email, address, emergencyContact].allSatisfy({ $0 == nil }) {
                throw ValidationError("give at least one of --first, --last, --dob, --phone, --email, --address, --emergency-contact")
            }
        }

        func run() throws {
            let birth = try dob.map { try CivilDate.parse($0, field: .dateOfBirth) }
            let session = try global.open()
            let changes = PatientRepository.Changes(first: first, last: last, dateOfBirth: birth, phone: phone, email: email,
                                                    address: address, emergencyContact: emergencyContact)
            let patient = try session.acting.editPatient(chart: chart, changes, today: try session.today())
            try session.emit(PatientView(patient)) { "Updated \(patient.chart)" }
        }
    }
}
