import ArgumentParser
import Models
import Storage

extension ConsentCommand {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: "Record consent given, with the risks explained (a guardian for a patient under 16).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }
        @Option(help: "Intervention: dry-needling, acupuncture or electro-stim.") var intervention: Intervention
        @Option(help: "The risks explained, e.g. \"bruising, soreness, fainting, pneumothorax\".") var risks: String
        @Option(help: "Name of the parent or guardian who consented (required under 16).") var guardian: String?
        @Option(help: "Date consent was given, YYYY-MM-DD (default: today).") var date: String?

        func run() throws {
            let session = try global.open()
            let day = try date.map { try CivilDate.parse($0, field: .date) } ?? session.today()
            let id = try PatientRecords(session.acting)
                .recordConsent(chart: chart, intervention: intervention, risks: risks, guardian: guardian, date: day)
            struct View: Encodable { let id: String, patient: String, intervention: String, date: String, action: String }
            try session.emit(View(id: id, patient: chart.uppercased(), intervention: intervention.rawValue, date: day.description, action: "given")) {
                "Recorded \(intervention.rawValue) consent for \(chart.uppercased()) on \(day)"
            }
        }
    }
}
