import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one patient's record.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Chart number, e.g. MTL-000042.") var chart: String

        func run() throws {
            let session = try global.open()
            let patient = try session.acting.patient(chart: chart)
            let age = patient.dateOfBirth.age(on: try session.today())
            try session.emit(PatientView(patient)) {
                """
                \(patient.chart)  \(patient.first) \(patient.last)
                Born    \(patient.dateOfBirth) (\(age) years)
                Phone   \(patient.phone ?? "—")
                E-mail  \(patient.email ?? "—")
                """
            }
        }
    }
}
