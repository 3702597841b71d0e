import ArgumentParser
import Models
import Storage

extension ConsentCommand {
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Record that consent was withdrawn (the original stays on file).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }
        @Option(help: "Intervention: dry-needling, acupuncture or electro-stim.") var intervention: Intervention
        @Option(help: "Date of withdrawal, YYYY-MM-DD (default: today).") var date: String?

        func run() throws {
            let session = try global.open()
            let day = try date.map { try CivilDate.parse($0, field: .date) } ?? session.today()
            let id = try PatientRecords(session.acting)
                .withdrawConsent(chart: chart, intervention: intervention, date: day)
            struct View: Encodable { let id: String, patient: String, intervention: String, date: String, action: String }
            try session.emit(View(id: id, patient: chart.uppercased(), intervention: intervention.rawValue, date: day.description, action: "withdrawn")) {
                "Recorded withdrawal of \(intervention.rawValue) consent for \(chart.uppercased()) on \(day)"
            }
        }
    }
}
