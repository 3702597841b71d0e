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

    /// A patient by chart number (`MTL-000042`, any case), or `not-found`.
    public func require(chart text: String) throws -> Patient {
        guard let chart = ChartNumber(text) else {
            throw ClinicError(.invalidChart, "a chart number looks like MTL-000042")
        }
        guard let row = try db.first("SELECT \(Self.columns) FROM patient WHERE chart = ?", [chart.description]) else {
            throw ClinicError.notFound("patient \(chart)")
        }
        return Self.patient(row)
    }

    public func byID(_ id: String) throws -> Patient? {
        try db.first("SELECT \(Self.columns) FROM patient WHERE id = ?", [id]).map(Self.patient)
    }

    /// Patients whose name, chart number or phone contains every word of `text`, ignoring case and accents.
    public func find(_ text: String, limit: Int = 50) throws -> [Patient] {
        let words = SearchFolding.fold(text).split(separator: " ").map(String.init).filter { !$0.isEmpty }
        guard !words.isEmpty else {
            throw ClinicError(.emptySearch, "give a name, chart number or phone to search for")
        }
        let clauses = words.map { _ in "search LIKE ? ESCAPE '\\'" }.joined(separator: " AND ")
        let arguments: [SQLBindable] = words.map { "%" + Self.escapeLike($0) + "%" } + [limit]
        return try db.query("SELECT \(Self.columns) FROM patient WHERE \(clauses) ORDER BY last, first, chart LIMIT ?", arguments)
            .map(Self.patient)
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
