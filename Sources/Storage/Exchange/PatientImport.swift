import Models

/// `clinic import patients`: the file streams through once inside one transaction; every row is
/// checked, and the rows are written only if all are good, so all are imported or none. Memory stays
/// that of one row plus a hash per patient, whatever the file's length. Likely duplicates are never
/// created silently.
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
        public var imported = 0
        public var firstChart: String?
        public var lastChart: String?
        public var duplicates: [PatientCSV.Duplicate] = []
        public var ignoredColumns: [String] = []
    }

    /// How many problems a refusal lists before summarising the rest.
    static let listedProblems = 20
    /// Rows between two seals of the captured changes and two progress reports.
    static let batch = 2_048

    /// Imports a stream of CSV. Bad content refuses the file with exit 65 (`bad-file`), each problem
    /// named by line and column; duplicates follow `policy`. `progress` hears of bytes read.
    package func run(_ stream: CSVStream, dateFormat: CSVDateFormat, policy: DuplicatePolicy, now: Int64, today: CivilDate,
                     progress: ProgressReport? = nil) throws -> Outcome {
        var stream = stream
        // Enough cache for the indexes' working set, not the whole file: spilt pages go to the WAL.
        // (SQLite's page cache; PostgreSQL's buffers are the server's.)
        if db.engine == .sqlite { try db.execute("PRAGMA cache_size = -16384") }
        do {
            return try db.write { db in
                let repository = PatientRepository(db)
                let checker = try PatientCSV.RowChecker.reading(&stream, dateFormat: dateFormat, today: today)
                var duplicates = PatientCSV.DuplicateFinder(existing: try repository.duplicateKeyHashes())
                var inserter = try PatientRepository.BulkInserter(db, now: now)
                var outcome = Outcome(ignoredColumns: checker.ignoredColumns)
                var listed: [FileProblem] = []
                var problemCount = 0
                var rowProblems: [FileProblem] = []
                var rows = 0
                while let record = try stream.next() {
                    rows += 1
                    if rows % Self.batch == 0 {
                        // The captured changes of a batch become change rows now, not all at COMMIT: memory stays that of a batch.
                        try db.sealCapturedChanges()
                        progress?(stream.bytesRead, stream.totalBytes)
                    }
                    rowProblems.removeAll(keepingCapacity: true)
                    guard let row = checker.check(record, problems: &rowProblems) else {
                        problemCount += rowProblems.count
                        listed += rowProblems.prefix(max(0, Self.listedProblems - listed.count))
                        continue
                    }
                    if let duplicate = duplicates.check(row) {
                        outcome.duplicates.append(duplicate)
                        if policy != .allow { continue }
                    }
                    // Once the file is refused, the rest is only checked, so every problem is named.
                    guard problemCount == 0, policy != .refuse || outcome.duplicates.isEmpty else { continue }
                    let patient = try inserter.add(row)
                    if outcome.firstChart == nil { outcome.firstChart = patient.chart }
                    outcome.lastChart = patient.chart
                    outcome.imported += 1
                }
                progress?(stream.bytesRead, stream.totalBytes)
                if problemCount > 0 {
                    let text = listed.enumerated().map { index, problem in (index == 0 ? "" : "; ") + problem.text }.reduce("", +)
                    let more = problemCount > listed.count ? "; and \(problemCount - listed.count) more" : ""
                    throw ClinicError(.badFile, "\(problemCount) problem\(problemCount == 1 ? "" : "s") in the file, nothing was imported: "
                                      + text + ErrorMessage(verbatim: more))
                }
                if policy == .refuse, !outcome.duplicates.isEmpty {
                    let duplicates = outcome.duplicates
                    let text = duplicates.prefix(Self.listedProblems).map(\.description).joined(separator: "; ")
                    let more = duplicates.count > Self.listedProblems ? "; and \(duplicates.count - Self.listedProblems) more" : ""
                    throw ClinicError(.duplicate, "\(duplicates.count) row\(duplicates.count == 1 ? "" : "s") look like patients already registered or repeated in the file (same name and date of birth), nothing was imported: \(text)\(more); use --skip-duplicates or --allow-duplicates")
                }
                return outcome
            }
        } catch let problem as FileProblem {
            throw ClinicError(.badFile, problem.text + "; nothing was imported")
        }
    }
}
