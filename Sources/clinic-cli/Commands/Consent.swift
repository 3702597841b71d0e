import ArgumentParser
import Models
import Storage

/// `clinic consent`: informed consent per intervention, recorded and withdrawn, never deleted.
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Record or withdraw a patient's consent to an intervention.", subcommands: [Record.self, Withdraw.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "record", abstract: "Record consent given, with the risks explained (a guardian for a patient under 16).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Chart number, e.g. MTL-000042.") var chart: String
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

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Record that consent was withdrawn (the original stays on file).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Chart number, e.g. MTL-000042.") var chart: String
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

/// `clinic patient precaution`: conditions that change how a patient may be needled.
struct PrecautionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precaution", abstract: "Add or remove a precaution (pregnancy, pacemaker, lymphoedema:left-arm, …).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Chart number, e.g. MTL-000042.") var chart: String
    @Option(help: ArgumentHelp("Precaution to add: pregnancy, pacemaker, anticoagulants, lymphoedema:left-arm|right-arm|left-leg|right-leg, needle-phobia, immunosuppression, diabetes, epilepsy, bleeding-disorder, metal-allergy, implanted-device.", valueName: "precaution"))
    var add: String?
    @Option(help: ArgumentHelp("Precaution to remove.", valueName: "precaution")) var remove: String?

    func validate() throws {
        if (add == nil) == (remove == nil) { throw ValidationError("give exactly one of --add or --remove") }
    }

    func run() throws {
        let precaution = try Precaution.parse(add ?? remove ?? "")
        let session = try global.open()
        let list = try PatientRecords(session.acting)
            .setPrecaution(chart: chart, precaution: precaution, active: add != nil)
        try session.emit(["precautions": list.map(\.code)]) {
            "Precautions of \(chart.uppercased()): " + (list.isEmpty ? "none" : list.map(\.code).joined(separator: ", "))
        }
    }
}

extension Intervention: ExpressibleByArgument {}
