import Foundation

/// How dates of birth are written in an imported file.
public enum CSVDateFormat: String, Sendable, CaseIterable {
    /// `1980-04-02`
    case iso
    /// `02/04/1980` (day first, as in Québec and Europe); `-` and `.` separators also accepted.
    case dmy
    /// `04/02/1980` (month first, as US systems export).
    case mdy

    /// The date, or nil when the text is not a real date in this format.
    public func parse(_ text: String) -> CivilDate? {
        let trimmed = PatientCSV.trimmed(text)
        if self == .iso { return CivilDate.parse(trimmed) }
        let parts = trimmed.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let a = Int(parts[0]), let b = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return self == .dmy ? CivilDate(year: year, month: b, day: a) : CivilDate(year: year, month: a, day: b)
    }

    var example: String {
        switch self {
        case .iso: return "YYYY-MM-DD"
        case .dmy: return "DD/MM/YYYY"
        case .mdy: return "MM/DD/YYYY"
        }
    }
}

/// A patient row of an import file, checked and ready to insert.
public struct ImportedPatient: Sendable, Equatable {
    public var line: Int
    public var first: String
    public var last: String
    public var dateOfBirth: CivilDate
    public var phone: String?
    public var email: String?

    /// Name and date of birth with case and accents folded: two rows with the same key are
    /// probably one person typed twice.
    public var duplicateKey: String { PatientCSV.duplicateKey(first: first, last: last, dateOfBirth: dateOfBirth) }
}

/// The patient import format of docs/CLI.md: `first,last,dob[,phone,email]` plus the column names
/// other clinic systems use, every row checked before anything is written.
public enum PatientCSV {
    /// The fields the import understands.
    public enum Field: String, Sendable, CaseIterable {
        case first, last, dob, phone, email
    }

    /// Header names (lower-cased, with spaces, `_`, `-` and `.` removed) and the field each means.
    public static let aliases: [String: Field] = {
        var table: [String: Field] = [:]
        let names: [(Field, [String])] = [
            (.first, ["first", "firstname", "given", "givenname", "givennames", "forename", "prenom", "prénom"]),
            (.last, ["last", "lastname", "surname", "family", "familyname", "nom", "nomdefamille"]),
            (.dob, ["dob", "dateofbirth", "birthdate", "birthday", "born", "datenaissance", "datedenaissance", "ddn"]),
            (.phone, ["phone", "phonenumber", "mobile", "mobilephone", "cell", "cellphone", "telephone", "téléphone", "tel"]),
            (.email, ["email", "emailaddress", "mail", "courriel"]),
        ]
        for (field, list) in names { for name in list { table[name] = field } }
        return table
    }()

    /// The normalised form of a header cell used to look up `aliases`.
    public static func normaliseHeader(_ text: String) -> String {
        String(text.lowercased().filter { !" _-.\t".contains($0) })
    }

    /// Which column holds each field; refuses a missing required column or one named twice.
    /// Returns the columns it ignores (by name) so the user sees what was left out.
    public static func columns(header: [String], line: Int) throws -> (map: [Field: Int], ignored: [String]) {
        var map: [Field: Int] = [:]
        var ignored: [String] = []
        for (index, cell) in header.enumerated() {
            guard let field = aliases[normaliseHeader(cell)] else {
                if !cell.trimmingCharacters(in: .whitespaces).isEmpty { ignored.append(cell) }
                continue
            }
            if let earlier = map[field] {
                throw FileProblem(line: line, column: index + 1, columnName: cell,
                                  message: "names the \(field.rawValue) field again (column \(earlier + 1) already does)")
            }
            map[field] = index
        }
        let missing = [Field.first, .last, .dob].filter { map[$0] == nil }
        guard missing.isEmpty else {
            throw FileProblem(line: line, message: "the header has no \(missing.map(\.rawValue).joined(separator: ", ")) column; expected first,last,dob[,phone,email]")
        }
        return (map, ignored)
    }

    /// Every problem of every row (not just the first), or the checked rows. Messages say what is
    /// expected at a line and column, never the value found.
    public static func rows(_ records: [CSVRecord], dateFormat: CSVDateFormat, today: CivilDate)
        throws -> (patients: [ImportedPatient], problems: [FileProblem], ignoredColumns: [String]) {
        guard let header = records.first else { throw RowChecker.emptyFile }
        let checker = try RowChecker(header: header, dateFormat: dateFormat, today: today)
        var patients: [ImportedPatient] = []
        patients.reserveCapacity(records.count)
        var problems: [FileProblem] = []
        for record in records.dropFirst() {
            if let patient = checker.check(record, problems: &problems) { patients.append(patient) }
        }
        return (patients, problems, checker.ignoredColumns)
    }

    /// Checks rows one at a time against the header's columns, so a file is checked as it streams.
    public struct RowChecker: Sendable {
        let header: [String]
        let map: [Field: Int]
        public let ignoredColumns: [String]
        let dateFormat: CSVDateFormat
        let today: CivilDate

        static let emptyFile = FileProblem(line: 1, message: "the file is empty; expected a header first,last,dob[,phone,email]")

        public init(header: CSVRecord, dateFormat: CSVDateFormat, today: CivilDate) throws {
            (map, ignoredColumns) = try PatientCSV.columns(header: header.fields, line: header.line)
            self.header = header.fields
            self.dateFormat = dateFormat
            self.today = today
        }

        /// The header of a stream, then a checker for its rows; an empty stream is a problem at line 1.
        public static func reading(_ stream: inout CSVStream, dateFormat: CSVDateFormat, today: CivilDate) throws -> RowChecker {
            guard let header = try stream.next() else { throw emptyFile }
            return try RowChecker(header: header, dateFormat: dateFormat, today: today)
        }

        /// The checked row, or nil with its problems appended to `problems`.
        public func check(_ record: CSVRecord, problems: inout [FileProblem]) -> ImportedPatient? {
            let width = header.count
            if record.fields.count > width, record.fields[width...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                problems.append(FileProblem(line: record.line, column: width + 1, message: "more fields than the header's \(width) columns"))
                return nil
            }
            func value(_ field: Field) -> String? {
                guard let index = map[field] else { return nil }
                guard index < record.fields.count else { return nil }
                let text = PatientCSV.undefused(trimmed(record.fields[index]))
                return text.isEmpty ? nil : text
            }
            func problem(_ field: Field, _ message: ErrorMessage) {
                let index = map[field] ?? 0
                problems.append(FileProblem(line: record.line, column: index + 1, columnName: header[index], message: message))
            }
            let before = problems.count
            let first = value(.first), last = value(.last), dobText = value(.dob)
            let phone = value(.phone), email = value(.email)
            // A control character (a NUL byte, an escape sequence, a line break inside quotes) is named
            // where it is, never stored: C code would cut the value at a NUL, a terminal would obey an escape.
            var controlled: Set<Field> = []
            for (field, text) in [(Field.first, first), (.last, last), (.dob, dobText), (.phone, phone), (.email, email)] {
                guard let text, !PlainText.isClean(text) else { continue }
                problem(field, "holds a control character (such as a NUL byte, an escape or a line break); remove it")
                controlled.insert(field)
            }
            for (field, name) in [(Field.first, first), (.last, last)] where !controlled.contains(field) {
                if let name, name.count <= 100 { continue }
                problem(field, "a \(field == .first ? "first" : "last") name of 1–100 characters is required")
            }
            var birth: CivilDate?
            if !controlled.contains(.dob) {
                if let dobText, let parsed = dateFormat.parse(dobText) {
                    if parsed > today || parsed.year < 1900 {
                        problem(.dob, "the date of birth must be between 1900-01-01 and today")
                    } else {
                        birth = parsed
                    }
                } else {
                    let hint: ErrorMessage = dateFormat == .iso ? " (for DD/MM/YYYY use \(.dateFormat) dmy)" : ""
                    problem(.dob, "a real date written \(dateFormat.example) is required" + hint)
                }
            }
            if let phone, !controlled.contains(.phone), PhoneDigits.digits(phone).count < 7 || phone.count > 30 {
                problem(.phone, "a phone number needs at least 7 digits (at most 30 characters)")
            }
            if let email, !controlled.contains(.email), !isEmailShaped(email) {
                problem(.email, "an e-mail address must look like name@example.org")
            }
            guard problems.count == before, let first, let last, let birth else { return nil }
            return ImportedPatient(line: record.line, first: first, last: last, dateOfBirth: birth, phone: phone, email: email)
        }
    }

    /// A field as `clinic`'s own `--csv` output (and spreadsheets' "text" cells) write a value that
    /// starts like a formula, `'+1 514-555-1000`, back to the value.
    static func undefused(_ text: String) -> String {
        guard text.hasPrefix("'"), let second = text.dropFirst().unicodeScalars.first, "=+-@".unicodeScalars.contains(second) else { return text }
        return String(text.dropFirst())
    }

    /// The field without surrounding white space; cheap when there is none (nearly always).
    static func trimmed(_ text: String) -> String {
        guard let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isEmailShaped(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !email.contains(" ")
    }

    /// Folded name and date of birth, the key of "probably the same person".
    public static func duplicateKey(first: String, last: String, dateOfBirth: CivilDate) -> String {
        SearchFolding.fold(trimmed(first)) + "\u{1F}" + SearchFolding.fold(trimmed(last))
            + "\u{1F}" + dateOfBirth.description
    }

    /// A row that looks like a patient already registered, or like an earlier row of the file.
    public struct Duplicate: Sendable, Equatable {
        public var line: Int
        /// The chart number of the registered patient it matches, if any.
        public var existingChart: String?
        /// The earlier line of the file it repeats, if any.
        public var earlierLine: Int?

        public var description: String {
            if let existingChart { return "line \(line) matches \(existingChart)" }
            return "line \(line) repeats line \(earlierLine ?? 0)"
        }
    }

    /// Rows whose folded name and date of birth match an existing patient (`existing`: key → chart)
    /// or an earlier row of the same file.
    public static func duplicates(_ patients: [ImportedPatient], existing: [String: String]) -> [Duplicate] {
        var finder = DuplicateFinder(existing: Dictionary(existing.map { ($0.key.hashValue, $0.value) }, uniquingKeysWith: { first, _ in first }))
        return patients.compactMap { finder.check($0) }
    }

    /// Finds rows like a registered patient or an earlier row as a file streams, holding a hash of each
    /// key (not the names) so that a file of any length fits in memory.
    public struct DuplicateFinder {
        let existing: [Int: String]
        var seen: [Int: Int] = [:]

        /// `existing`: the hash of each registered patient's `duplicateKey`, and its chart.
        public init(existing: [Int: String]) { self.existing = existing }

        /// The row's match, or nil when it is the first of its kind (then remembered).
        public mutating func check(_ patient: ImportedPatient) -> Duplicate? {
            let key = patient.duplicateKey.hashValue
            if let chart = existing[key] { return Duplicate(line: patient.line, existingChart: chart, earlierLine: nil) }
            if let earlier = seen[key] { return Duplicate(line: patient.line, existingChart: nil, earlierLine: earlier) }
            seen[key] = patient.line
            return nil
        }
    }
}
