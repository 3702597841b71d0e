import Models

/// Patients' demographic records and chart-number allocation.
public struct PatientRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Fields of a new patient as typed at the front desk.
    public struct NewPatient: Sendable {
        public var first: String
        public var last: String
        public var dateOfBirth: CivilDate
        public var phone: String?
        public var email: String?

        public init(first: String, last: String, dateOfBirth: CivilDate, phone: String? = nil, email: String? = nil) {
            self.first = first
            self.last = last
            self.dateOfBirth = dateOfBirth
            self.phone = phone
            self.email = email
        }
    }

    /// Adds a patient and allocates the next chart number of the local site. Run inside `write`
    /// so two terminals never allocate the same number. A chart with the same folded name and date
    /// of birth refuses the registration (1 `duplicate`, naming that chart) unless `allowingDuplicate`:
    /// a second chart for one person splits their history.
    @discardableResult
    package func add(_ new: NewPatient, allowingDuplicate: Bool = false, now: Int64, today: CivilDate) throws -> Patient {
        let first = new.first.trimmingCharacters(in: .whitespaces)
        let last = new.last.trimmingCharacters(in: .whitespaces)
        let phone = new.phone.flatMap { $0.isEmpty ? nil : $0 }
        let email = new.email.flatMap { $0.isEmpty ? nil : $0 }
        try Patient.validate(first: first, last: last, dateOfBirth: new.dateOfBirth, today: today, phone: phone, email: email)
        return try db.write { db in
            if !allowingDuplicate, let existing = try likelyDuplicate(first: first, last: last, dateOfBirth: new.dateOfBirth) {
                throw ClinicError(.duplicate, "\(existing) has the same name and date of birth; "
                                          + "add \(.allowDuplicate) if this is another person")
            }
            try db.serialiseWrites(on: "patient")
            let site = try SiteRepository(db).local()
            let highest = try db.first("SELECT MAX(chart_seq) FROM patient WHERE site_id = ?", [site.id])?.optionalInt(0)
            let chart = ChartNumber.next(siteCode: site.code, after: highest.map(Int.init))
            let patient = Patient(id: UUIDv7.string(at: Instant.date(now)), chart: chart.description, first: first, last: last,
                                  dateOfBirth: new.dateOfBirth, phone: phone, email: email)
            try db.execute("""
                INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, phone, email, search, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [patient.id, site.id, patient.chart, chart.sequence, first, last, new.dateOfBirth.description,
                      phone, email, patient.searchText, now])
            return patient
        }
    }

    /// The chart of a registered patient who is probably this person: the same folded name and date
    /// of birth, by the rule CSV import uses (`PatientCSV.duplicateKey`). Only charts born that day are read.
    public func likelyDuplicate(first: String, last: String, dateOfBirth: CivilDate) throws -> String? {
        let key = PatientCSV.duplicateKey(first: first, last: last, dateOfBirth: dateOfBirth)
        return try db.query("SELECT chart, first, last FROM patient WHERE dob = ? ORDER BY chart", [dateOfBirth.description])
            .first { PatientCSV.duplicateKey(first: $0.string(1), last: $0.string(2), dateOfBirth: dateOfBirth) == key }?
            .string(0)
    }

    static let columns = "id, chart, first, last, dob, phone, email"

    static func patient(_ row: Row) -> Patient {
        Patient(id: row.string(0), chart: row.string(1), first: row.string(2), last: row.string(3),
                dateOfBirth: CivilDate.parse(row.string(4)) ?? CivilDate(daysSinceEpoch: 0),
                phone: row.optionalString(5), email: row.optionalString(6))
    }

    /// A patient by chart number (`MTL-000042`, any case), or `not-found`; a chart merged into
    /// another reads as the chart kept.
    public func require(chart text: String) throws -> Patient {
        let patient = try recorded(chart: text)
        let kept = try kept(patient.id)
        return kept == patient.id ? patient : try byID(kept) ?? patient
    }

    /// A patient by id; unless `followingMerges` is false, a merged chart reads as the chart kept.
    public func byID(_ id: String, followingMerges: Bool = true) throws -> Patient? {
        let id = followingMerges ? try kept(id) : id
        return try db.first("SELECT \(Self.columns) FROM patient WHERE id = ?", [id]).map(Self.patient)
    }

    /// Patients whose name, chart number or phone contains every word of `text`, ignoring case, accents,
    /// apostrophes and hyphens (`damours` finds D'Amours); a phone number is matched by its digits however
    /// it is written, a short chart number (`MTL-1`) as the chart it names. Listed in French (Canada)
    /// alphabetical order of last then first name (`PatientOrder`). A chart merged into another is
    /// listed as the chart kept, once; archived charts only when `includingArchived`.
    public func find(_ text: String, limit: Int = 50, includingArchived: Bool = false) throws -> [Patient] {
        let words = Self.searchWords(text)
        guard !words.isEmpty else {
            throw ClinicError(.emptySearch, "give a name, chart number or phone to search for")
        }
        let like = db.dialect.caseInsensitiveLike
        let clauses = words.map { _ in "\(Self.searchIgnoringMarks) \(like) ? ESCAPE '\\'" }.joined(separator: " AND ")
        let arguments: [SQLBindable] = words.map { "%" + Self.escapeLike($0) + "%" }
        var found: [Patient] = []
        var seen: Set<String> = []
        let rows = try db.query("""
            SELECT patient.id, chart, first, last, dob, phone, email, alias.keep_id, archive.archived FROM patient
            LEFT JOIN patient_alias alias ON alias.id = patient.id LEFT JOIN patient_archive archive ON archive.id = patient.id
            WHERE \(clauses)
            """, arguments)
        for row in rows {
            var patient = Self.patient(row), archived = row.optionalInt(8) == 1
            if row.optionalString(7) != nil {
                guard let kept = try byID(patient.id) else { continue }
                patient = kept
                archived = try isArchived(kept.id)
            }
            guard seen.insert(patient.id).inserted, includingArchived || !archived else { continue }
            found.append(patient)
        }
        return Array(PatientOrder.sorted(found).prefix(max(0, limit)))
    }

    /// The `search` column without the marks a name or number may be typed with or without.
    static let searchIgnoringMarks = "replace(replace(replace(patient.search, '''', ''), '\u{2019}', ''), '-', '')"

    /// The words `find` looks for, folded as `searchIgnoringMarks` folds the column.
    static func searchWords(_ text: String) -> [String] {
        let digits = PhoneDigits.digits(text)
        if digits.count >= 7, text.allSatisfy({ $0.isASCII && ($0.isNumber || " +().-".contains($0)) }) {
            // A North American number with its country code is stored with or without it.
            return [digits.count == 11 && digits.hasPrefix("1") ? String(digits.dropFirst()) : digits]
        }
        return SearchFolding.fold(text).split(separator: " ").map { word -> String in
            let word = ChartNumber(String(word)).map { $0.description.lowercased() } ?? String(word)
            return word.filter { !"'\u{2019}-".contains($0) }
        }.filter { !$0.isEmpty }
    }

    /// Changes a patient's phone and e-mail (nil leaves a field as it is).
    @discardableResult
    package func updateContact(chart: String, phone: String?, email: String?, today: CivilDate) throws -> Patient {
        try db.write { db in
            var patient = try require(chart: chart)
            if let phone { patient.phone = phone.isEmpty ? nil : phone }
            if let email { patient.email = email.isEmpty ? nil : email }
            try Patient.validate(first: patient.first, last: patient.last, dateOfBirth: patient.dateOfBirth, today: today,
                                 phone: patient.phone, email: patient.email)
            try db.execute("UPDATE patient SET phone = ?, email = ?, search = ? WHERE id = ?",
                           [patient.phone, patient.email, patient.searchText, patient.id])
            return patient
        }
    }

    public func count() throws -> Int { Int(try db.first("SELECT COUNT(*) FROM patient")?.int(0) ?? 0) }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
