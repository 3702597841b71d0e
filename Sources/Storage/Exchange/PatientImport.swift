import Models

/// `clinic import patients`: every row is checked first, then all are written in one transaction
/// or none are. Likely duplicates are never created silently.
public struct PatientImport {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// What to do with rows that look like a patient already registered or an earlier row.
    public enum DuplicatePolicy: String, Sendable {
        /// Refuse the whole file (`duplicate`, exit 1), naming the lines: the default.
        case refuse
        /// Import the other rows and report the skipped lines.
        case skip
        /// Import them anyway (a clinic that knows two people share a name and birthday).
        case allow
    }

    /// What an import did.
    public struct Outcome: Sendable {
        public var imported: [Patient]
        public var duplicates: [PatientCSV.Duplicate]
        public var ignoredColumns: [String]
    }

    /// How many problems a refusal lists before summarising the rest.
    static let listedProblems = 20

    /// Imports a file's bytes. Bad content refuses the file with exit 65 (`bad-file`), each problem
    /// named by line and column; duplicates follow `policy`.
    package func run(_ data: [UInt8], dateFormat: CSVDateFormat, policy: DuplicatePolicy, now: Int64, today: CivilDate) throws -> Outcome {
        let parsed: (patients: [ImportedPatient], problems: [FileProblem], ignoredColumns: [String])
        do {
            parsed = try PatientCSV.rows(try CSVReader.records(data), dateFormat: dateFormat, today: today)
        } catch let problem as FileProblem {
            throw ClinicError(.badFile, problem.text + "; nothing was imported")
        }
        if !parsed.problems.isEmpty {
            let listed = parsed.problems.prefix(Self.listedProblems).enumerated()
                .map { index, problem in (index == 0 ? "" : "; ") + problem.text }.reduce("", +)
            let more = parsed.problems.count > Self.listedProblems ? "; and \(parsed.problems.count - Self.listedProblems) more" : ""
            throw ClinicError(.badFile,
                              "\(parsed.problems.count) problem\(parsed.problems.count == 1 ? "" : "s") in the file, nothing was imported: " + listed + ErrorMessage(verbatim: more))
        }
        // A large file touches more pages than the default cache holds; spilling them costs more than the import.
        try db.execute("PRAGMA cache_size = -65536")
        return try db.write { db in
            let repository = PatientRepository(db)
            let duplicates = PatientCSV.duplicates(parsed.patients, existing: try repository.duplicateKeys())
            var rows = parsed.patients
            switch policy {
            case .refuse where !duplicates.isEmpty:
                let listed = duplicates.prefix(Self.listedProblems).map(\.description).joined(separator: "; ")
                let more = duplicates.count > Self.listedProblems ? "; and \(duplicates.count - Self.listedProblems) more" : ""
                throw ClinicError(.duplicate, "\(duplicates.count) row\(duplicates.count == 1 ? "" : "s") look like patients already registered or repeated in the file (same name and date of birth), nothing was imported: \(listed)\(more); use --skip-duplicates or --allow-duplicates")
            case .skip:
                let lines = Set(duplicates.map(\.line))
                rows = rows.filter { !lines.contains($0.line) }
            default:
                break
            }
            return Outcome(imported: try repository.addMany(rows, now: now), duplicates: duplicates, ignoredColumns: parsed.ignoredColumns)
        }
    }
}
