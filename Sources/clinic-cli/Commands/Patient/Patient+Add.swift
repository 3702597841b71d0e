import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a patient; prints the new chart number.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "First name(s).") var first: String
        @Option(help: "Last name(s).") var last: String
        @Option(help: "Date of birth, YYYY-MM-DD.") var dob: String
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "E-mail address.") var email: String?
        @Flag(help: "Register even though a chart has the same name and date of birth (two people who share them).")
        var allowDuplicate = false

        func run() throws {
            let birth = try CivilDate.parse(dob, field: .dateOfBirth)
            let session = try global.open()
            let patient = try session.acting.addPatient(.init(first: first, last: last, dateOfBirth: birth, phone: phone, email: email),
                                                        allowingDuplicate: allowDuplicate, today: try session.today())
            try session.emit(PatientView(patient)) { "Registered \(patient.chart)" }
        }
    }
}
