import Models

extension PatientRepository {
    /// Folded name + date of birth of every registered patient as a hash (a few bytes a patient, not the
    /// names), mapped to its chart number, so an import can report likely duplicates without a query per row.
    package func duplicateKeyHashes() throws -> [Int: String] {
        var keys: [Int: String] = [:]
        try db.forEach("SELECT chart, first, last, dob FROM patient ORDER BY chart") { row in
            guard let dob = CivilDate.parse(row.string(3)) else { return }
            let key = PatientCSV.duplicateKey(first: row.string(1), last: row.string(2), dateOfBirth: dob).hashValue
            if keys[key] == nil { keys[key] = row.string(0) }
        }
        return keys
    }

    /// Registers checked patients one at a time with consecutive chart numbers, inside the caller's transaction.
    package struct BulkInserter {
        let db: Database
        let site: Site
        let now: Int64
        private var sequence: Int

        package init(_ db: Database, now: Int64) throws {
            self.db = db
            self.now = now
            try db.serialiseWrites(on: "patient")
            site = try SiteRepository(db).local()
            sequence = try db.first("SELECT MAX(chart_seq) FROM patient WHERE site_id = ?", [site.id])?.optionalInt(0).map(Int.init) ?? 0
        }

        package mutating func add(_ row: ImportedPatient) throws -> Patient {
            sequence += 1
            let chart = ChartNumber(siteCode: site.code, sequence: sequence)
            let patient = Patient(id: UUIDv7.string(at: Instant.date(now)), chart: chart.description, first: row.first, last: row.last,
                                  dateOfBirth: row.dateOfBirth, phone: row.phone, email: row.email)
            try db.execute("""
                INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, phone, email, search, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [patient.id, site.id, patient.chart, chart.sequence, patient.first, patient.last, row.dateOfBirth.description,
                      patient.phone, patient.email, patient.searchText, now])
            return patient
        }
    }
}
