import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "find", abstract: "Find patients by name, chart number or phone; case and accents ignored.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Text to look for, e.g. Helene or MTL-000042.") var text: String
        @Option(help: "Most patients to list.") var limit = 50
        @Flag(help: "Include archived charts.") var archived = false

        func run() throws {
            let session = try global.open()
            let patients = try session.acting.findPatients(text, limit: limit, includingArchived: archived)
            try session.emit(["patients": patients.map(PatientView.init)]) {
                guard !patients.isEmpty else { return "No patient matches." }
                var table = TextTable("CHART", "NAME", "BORN", "PHONE")
                for p in patients { table.add(p.chart, "\(p.last), \(p.first)", p.dateOfBirth.description, p.phone ?? "") }
                return table.render()
            }
        }
    }
}
