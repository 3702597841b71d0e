import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Merge a duplicate chart into the chart kept; its notes, consents and appointments keep their ids.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Chart number kept, e.g. MTL-000042.") var keep: String
        @Argument(help: "Chart number merged into it; it then reads as the chart kept.") var drop: String

        func run() throws {
            let session = try global.open()
            let merged = try session.acting.mergePatients(keep: keep, drop: drop)
            try session.emit(["kept": merged.keep.chart, "merged": merged.drop.chart]) {
                "Merged \(merged.drop.chart) into \(merged.keep.chart)"
            }
        }
    }
}
