import ArgumentParser
import Foundation
import Models
import Storage

/// `clinic export`: hand records to other software in its own formats.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export records as FHIR R4 (hospital and EHR systems) or iCalendar (calendar apps).",
        subcommands: [FHIR.self, ICS.self])
}
