import Models

/// Keeping patients' records right (issue 27): edits, archiving and merging duplicate charts.
extension PatientRepository {
    /// What `patient edit` changes; nil leaves a field as it is, an empty text clears an optional one.
    public struct Changes: Sendable {
        public var first: String?, last: String?, dateOfBirth: CivilDate?
        public var phone: String?, email: String?, address: String?, emergencyContact: String?

        public init(first: String? = nil, last: String? = nil, dateOfBirth: CivilDate? = nil, phone: String? = nil, email: String? = nil,
                    address: String? = nil, emergencyContact: String? = nil) {
            self.first = first
            self.last = last
            self.dateOfBirth = dateOfBirth
            self.phone = phone
            self.email = email
            self.address = address
            self.emergencyContact = emergencyContact
        }

        public var isEmpty: Bool {
            first == nil && last == nil && dateOfBirth == nil && phone == nil && email == nil && address == nil && emergencyContact == nil
        }
    }

    /// A patient's address and emergency contact, kept beside the record.
    public struct Contact: Sendable, Equatable {
        public var address: String?
        public var emergencyContact: String?
    }

    /// Ids of every chart that is this person: `?` (the kept chart's id) and every chart merged into
    /// it, directly or through another merged chart. One `?` to bind, for `patient_id IN (…)`.
    public static let samePerson = """
        WITH RECURSIVE merged(id) AS (SELECT ? UNION SELECT a.patient_id FROM patient_alias a JOIN merged m ON a.keep_id = m.id)
        SELECT id FROM merged
        """

    /// The chart a patient's id stands for: itself, or the chart it was merged into (followed through
    /// further merges; a loop, made by two sites merging each into the other, ends at its smallest id).
    func kept(_ id: String) throws -> String {
        var seen: [String] = [id]
        var current = id
        while let next = try db.first("SELECT keep_id FROM patient_alias WHERE id = ?", [current])?.string(0) {
            if seen.contains(next) { return seen[(seen.firstIndex(of: next) ?? 0)...].min() ?? next }
            seen.append(next)
            current = next
        }
        return current
    }

    /// Whether this id is a chart merged into another.
    func isAlias(_ id: String) throws -> Bool {
        try db.first("SELECT 1 FROM patient_alias WHERE id = ?", [id]) != nil
    }

    public func isArchived(_ id: String) throws -> Bool {
        try db.first("SELECT archived FROM patient_archive WHERE id = ?", [id])?.int(0) == 1
    }

    public func contact(_ id: String) throws -> Contact {
        guard let row = try db.first("SELECT address, emergency_contact FROM patient_contact WHERE id = ?", [id]) else { return Contact() }
        return Contact(address: row.optionalString(0), emergencyContact: row.optionalString(1))
    }

    /// Changes a patient's record; the same checks as a registration, values never in a message.
    @discardableResult
    package func edit(chart: String, _ changes: Changes, today: CivilDate) throws -> Patient {
        guard !changes.isEmpty else {
            throw ClinicError(.usage, "give at least one field to change")
        }
        return try db.write { db in
            var patient = try require(chart: chart)
            if let first = changes.first { patient.first = first.trimmingCharacters(in: .whitespaces) }
            if let last = changes.last { patient.last = last.trimmingCharacters(in: .whitespaces) }
            if let birth = changes.dateOfBirth { patient.dateOfBirth = birth }
            if let phone = changes.phone { patient.phone = phone.isEmpty ? nil : phone }
            if let email = changes.email { patient.email = email.isEmpty ? nil : email }
            try Patient.validate(first: patient.first, last: patient.last, dateOfBirth: patient.dateOfBirth, today: today,
                                 phone: patient.phone, email: patient.email)
            for (field, value) in [(ClinicField.address, changes.address), (.emergencyContact, changes.emergencyContact)] {
                try PlainText.require(value, field: field)
                if let value, value.count > 300 { throw ClinicError(.invalidText, "\(field) must be at most 300 characters") }
            }
            try db.execute("UPDATE patient SET first = ?, last = ?, dob = ?, phone = ?, email = ?, search = ? WHERE id = ?",
                           [patient.first, patient.last, patient.dateOfBirth.description, patient.phone, patient.email,
                            patient.searchText, patient.id])
            if changes.address != nil || changes.emergencyContact != nil {
                var contact = try contact(patient.id)
                if let address = changes.address { contact.address = address.isEmpty ? nil : address }
                if let emergency = changes.emergencyContact { contact.emergencyContact = emergency.isEmpty ? nil : emergency }
                try db.execute("INSERT INTO patient_contact (id, patient_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [patient.id, patient.id])
                try db.execute("UPDATE patient_contact SET address = ?, emergency_contact = ? WHERE id = ?",
                               [contact.address, contact.emergencyContact, patient.id])
            }
            return patient
        }
    }

    /// Archives a chart (or, with `archived` false, brings it back): hidden from `find`, no new bookings.
    @discardableResult
    package func setArchived(chart: String, _ archived: Bool) throws -> Patient {
        try db.write { db in
            let patient = try require(chart: chart)
            try db.execute("INSERT INTO patient_archive (id, patient_id, archived) VALUES (?, ?, 0) ON CONFLICT DO NOTHING", [patient.id, patient.id])
            try db.execute("UPDATE patient_archive SET archived = ? WHERE id = ? AND archived != ?", [archived ? 1 : 0, patient.id, archived ? 1 : 0])
            return patient
        }
    }

    /// Makes `drop` an alias of `keep`: every read by `drop`'s chart number reads `keep`, and `keep`'s
    /// reads include `drop`'s rows, which keep their ids (signed notes and consents are untouched).
    package func merge(keep keepChart: String, drop dropChart: String, now: Int64) throws -> (keep: Patient, drop: Patient) {
        try db.write { db in
            let keep = try recorded(chart: keepChart, role: "kept")
            let drop = try recorded(chart: dropChart, role: "merged")
            guard keep.id != drop.id else {
                throw ClinicError(.invalidTarget, "a chart cannot be merged into itself")
            }
            guard try !isAlias(keep.id) else {
                throw ClinicError(.invalidTarget, "\(keep.chart) was merged into another chart; merge into that one")
            }
            guard try !isAlias(drop.id) else {
                throw ClinicError(.invalidTarget, "\(drop.chart) is already merged into another chart")
            }
            try db.execute("INSERT INTO patient_alias (id, patient_id, keep_id, merged_at) VALUES (?, ?, ?, ?)", [drop.id, drop.id, keep.id, now])
            // Charts merged into the one dropped earlier now name the one kept: an alias is one step.
            try db.execute("UPDATE patient_alias SET keep_id = ? WHERE keep_id = ?", [keep.id, drop.id])
            return (keep, drop)
        }
    }

    /// The chart with this number as recorded, not following a merge.
    func recorded(chart text: String, role: String = "") throws -> Patient {
        guard let chart = ChartNumber(text) else {
            throw ClinicError(.invalidChart, "a chart number looks like MTL-000042")
        }
        guard let row = try db.first("SELECT \(Self.columns) FROM patient WHERE chart = ?", [chart.description]) else {
            throw ClinicError.notFound("patient \(chart)")
        }
        return Self.patient(row)
    }
}
