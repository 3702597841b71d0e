import ArgumentParser
import Models
import Storage

/// `clinic patient precaution`: conditions that change how a patient may be needled.
struct PrecautionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precaution", abstract: "Add or remove a precaution (pregnancy, pacemaker, lymphoedema:left-arm, …).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var chartInput: ChartArgument
    var chart: String { chartInput.value }
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
