import ArgumentParser
import Foundation
import Models
import Storage

extension ExportCommand {
    /// `clinic export fhir`: a FHIR R4 Bundle of one patient's (or every patient's) records.
    struct FHIR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fhir",
            abstract: "Write a FHIR R4 Bundle (collection): patient, practitioners, locations, services, appointments, encounters, needling procedures, consents, NPRS observations, adverse events.",
            discussion: "Only signed notes are exported. Needs --as; the front desk is refused. Every exported patient is written to the audit log.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chart: OptionalChartArgument
        var patient: String? { chart.value }
        @Flag(help: "Export every patient of the site.") var all = false
        @OptionGroup var destination: DestinationOptions

        func validate() throws {
            guard (patient == nil) != !all else { throw ValidationError("give exactly one of --patient CHART or --all") }
        }

        func run() throws {
            let session = try global.open()
            let file = try ExportFile(destination.target, protecting: session.db)
            let bar = all ? ProgressBar.start("Reading patients", unit: .items("patients"), json: global.json) : nil
            let source: FHIRSource
            do {
                defer { bar?.finish() }
                source = try FHIRExport(session.acting).source(chart: all ? nil : patient, progress: bar?.report)
            }
            let bundle = FHIRBundle(source).build(now: session.now)
            try file.write(bundle.canonical + "\n")
            try file.commit()
            var counts: [String: Int] = [:]
            if case .object(let members) = bundle, case .array(let entries)? = members["entry"] {
                for case .object(let entry) in entries {
                    if case .object(let resource)? = entry["resource"], case .string(let type)? = resource["resourceType"] { counts[type, default: 0] += 1 }
                }
            }
            struct View: Encodable { let file: String, resources: Int, counts: [String: Int] }
            let total = counts.values.reduce(0, +)
            try session.emit(View(file: destination.to, resources: total, counts: counts), onStandardError: destination.isStandardOutput) {
                "Wrote a FHIR R4 bundle of \(total) resources to \(destination.name): " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            }
        }
    }
}
