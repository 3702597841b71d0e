import Models

extension PatientRepository {
    /// Folded name + date of birth of every registered patient, mapped to its chart number, so an
    /// import can report likely duplicates without a query per row.
    public func duplicateKeys() throws -> [String: String] {
        var keys: [String: String] = [:]
        try db.forEach("SELECT chart, first, last, dob FROM patient ORDER BY chart") { row in
            guard let dob = CivilDate.parse(row.string(3)) else { return }
            let key = PatientCSV.duplicateKey(first: row.string(1), last: row.string(2), dateOfBirth: dob)
            if keys[key] == nil { keys[key] = row.string(0) }
        }
        return keys
    }

    /// Registers many checked patients with consecutive chart numbers through one cached insert.
    /// Run inside `write`: the caller's transaction makes the batch all or nothing.
    package func addMany(_ patients: [ImportedPatient], now: Int64) throws -> [Patient] {
        let site = try SiteRepository(db).local()
        let highest = try db.first("SELECT MAX(chart_seq) FROM patient WHERE site_id = ?", [site.id])?.optionalInt(0).map(Int.init) ?? 0
        let stamp = Instant.date(now)
        var added: [Patient] = []
        added.reserveCapacity(patients.count)
        for (offset, row) in patients.enumerated() {
            let chart = ChartNumber(siteCode: site.code, sequence: highest + offset + 1)
            let patient = Patient(id: UUIDv7.string(at: stamp), chart: chart.description, first: row.first, last: row.last,
                                  dateOfBirth: row.dateOfBirth, phone: row.phone, email: row.email)
            try db.execute("""
                INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, phone, email, search, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [patient.id, site.id, patient.chart, chart.sequence, patient.first, patient.last, row.dateOfBirth.description,
                      patient.phone, patient.email, patient.searchText, now])
            added.append(patient)
        }
        return added
    }
}
