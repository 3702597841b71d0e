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
        @Flag(help: "Print CSV (a header row: chart,last,first,dob,phone,email; then one patient a line) instead of a table.") var csv = false

        func validate() throws {
            if csv, global.json { throw ValidationError("give at most one of --csv and --json") }
        }

        func run() throws {
            let session = try global.open()
            let patients = try session.acting.findPatients(text, limit: limit, includingArchived: archived)
            if csv {
                print(CSVLine.make(["chart", "last", "first", "dob", "phone", "email"]))
                for p in patients { print(CSVLine.make([p.chart, p.last, p.first, p.dateOfBirth.description, p.phone ?? "", p.email ?? ""])) }
                return
            }
            try session.emit(["patients": patients.map(PatientView.init)]) {
                guard !patients.isEmpty else { return "No patient matches." }
                var table = TextTable("CHART", "NAME", "BORN", "PHONE")
                for p in patients { table.add(p.chart, "\(p.last), \(p.first)", p.dateOfBirth.description, p.phone ?? "") }
                return table.render()
            }
        }
    }
}
