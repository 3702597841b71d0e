import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive", abstract: "Archive a chart: hidden from 'patient find', no new bookings, history kept.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }

        func run() throws {
            let session = try global.open()
            let patient = try session.acting.archivePatient(chart: chart)
            try session.emit(ArchivedView(chart: patient.chart, archived: true)) { "Archived \(patient.chart)" }
        }
    }
}

struct ArchivedView: Encodable { let chart: String, archived: Bool }
