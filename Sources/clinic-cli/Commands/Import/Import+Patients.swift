import ArgumentParser
import Foundation
import Models
import Storage

extension ImportCommand {
    /// `clinic import patients --csv FILE`.
    struct Patients: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "patients", 
            abstract: "Register patients from a CSV file: every row or none.",
            discussion: """
            The header names the columns first,last,dob[,phone,email]; other systems' names are accepted too \
            (first_name, given, surname, family, date_of_birth, birthdate, mobile, e-mail, …) and unknown columns are \
            ignored and listed. UTF-8 with or without a BOM; comma or semicolon; quoted fields may hold quotes and line \
            breaks. Any bad row refuses the whole file (exit 65, bad-file), naming each line and column. Rows with the \
            same name and date of birth as a registered patient or an earlier row refuse the file (exit 1, duplicate) \
            unless --skip-duplicates or --allow-duplicates says what to do with them.
            """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The CSV file to import, or - for standard input.", valueName: "file")) var csv: String
        @Option(help: "How dates of birth are written: iso (YYYY-MM-DD), dmy (DD/MM/YYYY) or mdy (MM/DD/YYYY).") var dateFormat: CSVDateFormat = .iso
        @Flag(help: "Leave out rows that look like a registered patient or an earlier row, and list them.") var skipDuplicates = false
        @Flag(help: "Register rows that look like duplicates anyway (still listed).") var allowDuplicates = false

        func validate() throws {
            if skipDuplicates, allowDuplicates { throw ValidationError("give at most one of --skip-duplicates and --allow-duplicates") }
        }

        func run() throws {
            let input = try CSVInput(csv)
            let session = try global.open()
            let policy: PatientImport.DuplicatePolicy = skipDuplicates ? .skip : allowDuplicates ? .allow : .refuse
            let bar = ProgressBar.start("Importing patients", unit: .bytes, json: global.json)
            let outcome: PatientImport.Outcome
            do {
                defer { bar?.finish() }
                outcome = try session.acting.importPatients(input.stream, dateFormat: dateFormat, policy: policy, today: try session.today(),
                                                            progress: bar?.report)
            }
            struct Duplicate: Encodable { let line: Int, existing: String?, repeats_line: Int? }
            struct View: Encodable {
                let imported: Int, first_chart: String?, last_chart: String?, duplicates: [Duplicate], duplicates_policy: String, ignored_columns: [String]
            }
            let view = View(imported: outcome.imported, first_chart: outcome.firstChart, last_chart: outcome.lastChart,
                            duplicates: outcome.duplicates.map { Duplicate(line: $0.line, existing: $0.existingChart, repeats_line: $0.earlierLine) },
                            duplicates_policy: policy.rawValue, ignored_columns: outcome.ignoredColumns)
            try session.emit(view) {
                var lines = ["Imported \(outcome.imported) patient\(outcome.imported == 1 ? "" : "s")" + (outcome.imported == 0 ? "." : " (\(view.first_chart ?? "")–\(view.last_chart ?? ""))")]
                if !outcome.duplicates.isEmpty {
                    let listed = outcome.duplicates.prefix(20).map(\.description).joined(separator: "; ")
                    let more = outcome.duplicates.count > 20 ? "; and \(outcome.duplicates.count - 20) more (see --json)" : ""
                    lines.append("\(policy == .skip ? "Skipped" : "Imported anyway") \(outcome.duplicates.count) likely duplicates: \(listed)\(more)")
                }
                if !outcome.ignoredColumns.isEmpty { lines.append("Ignored columns: " + outcome.ignoredColumns.joined(separator: ", ")) }
                return lines.joined(separator: "\n")
            }
        }
    }
}
