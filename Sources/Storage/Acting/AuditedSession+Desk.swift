import Models

/// The front desk's use cases as the acting staff member: each checks the permission table and
/// leaves one audit entry (the appointment or patient it touched, and its outcome).
extension AuditedSession {
    /// Books one appointment or a whole series, all or nothing.
    public func book(_ request: Scheduler.BookingRequest) throws -> [AppointmentRecord] {
        try run(.book, entity: "appointment") { db, _, subject in
            let records = try Scheduler(db).book(request, now: now)
            subject.entityID = records.first?.id
            subject.patientID = records.first?.appointment.patientID
            return records
        }
    }

    /// Books a series leaving out its clashing dates when `skippingClashes` (each listed with its refusal).
    public func book(_ request: Scheduler.BookingRequest, skippingClashes: Bool) throws -> Scheduler.BookingOutcome {
        try run(.book, entity: "appointment") { db, _, subject in
            let outcome = try Scheduler(db).book(request, skippingClashes: skippingClashes, now: now)
            subject.entityID = outcome.booked.first?.id
            subject.patientID = outcome.booked.first?.appointment.patientID
            return outcome
        }
    }

    /// Moves an appointment with the same checks as a booking.
    public func reschedule(_ appointment: String, start: Int64, practitionerHandle: String?, roomName: String?) throws -> AppointmentRecord {
        try run(.reschedule, entity: "appointment", locate: Subject.appointment(appointment)) { db, _, _ in
            return try Scheduler(db).reschedule(appointment, start: start, practitionerHandle: practitionerHandle, roomName: roomName, now: now)
        }
    }

    /// Cancels an appointment (and, with `series`, the later ones of its series).
    public func cancel(_ appointment: String, reason: String?, series: Bool) throws -> [AppointmentRecord] {
        try run(.cancel, entity: "appointment", locate: Subject.appointment(appointment)) { db, _, _ in
            return try Scheduler(db).cancel(appointment, reason: reason, series: series, now: now)
        }
    }

    /// Checks in, records a no-show or completes an appointment.
    public func setStatus(_ appointment: String, to status: AppointmentStatus) throws -> AppointmentRecord {
        let action: Action = switch status {
        case .checkedIn: .checkIn
        case .noShow: .noShow
        default: .complete
        }
        return try run(action, entity: "appointment", locate: Subject.appointment(appointment)) { db, _, _ in
            return try Scheduler(db).setStatus(appointment, to: status, now: now)
        }
    }

    /// One site's schedule (`siteCode`, else this database's own) on some days of its zone, for one
    /// practitioner or room or all, with the double bookings among them (quiet read); a booking
    /// cancelled by a conflict resolution is marked so. Patients' names come only to a role that may see a patient's record.
    public func schedule(_ days: ScheduleDays, siteCode: String? = nil, practitionerHandle: String?, roomName: String?) throws -> SiteSchedule {
        try read(.schedule, entity: "appointment") { db, actor in
            var schedule = try Scheduler(db).siteSchedule(days, siteCode: siteCode, practitionerHandle: practitionerHandle, roomName: roomName, now: now)
            schedule.appointments = try ResolutionMarks(db).marking(schedule.appointments)
            if actor.may(.patientShow) {
                let patients = PatientRepository(db)
                for chart in Set(schedule.appointments.map(\.patientChart)) {
                    let patient = try patients.require(chart: chart)
                    schedule.patientNames[chart] = "\(patient.first) \(patient.last)"
                }
            }
            return schedule
        }
    }

    /// One patient's appointments at every site (an audited read: it says where and when a person is
    /// seen); `upcoming` true for those starting from now on, false for those before, nil for all.
    public func patientAppointments(chart: String, upcoming: Bool?) throws -> [AppointmentRecord] {
        try run(.patientAppointments, entity: "patient", locate: Subject.patient(chart: chart)) { db, _, _ in
            let patient = try PatientRepository(db).require(chart: chart)
            return try Scheduler(db).appointments(patientID: patient.id, upcoming: upcoming, now: now)
        }
    }

    /// Free slots for a service at a site, this database's own unless `siteCode` (quiet read).
    public func slots(serviceSlug: String, practitionerHandle: String?, from: CivilDate, days: Int, limit: Int,
                      siteCode: String? = nil) throws -> [Scheduler.FreeSlot] {
        try read(.slots, entity: "appointment") { db, _ in
            try Scheduler(db).slots(serviceSlug: serviceSlug, practitionerHandle: practitionerHandle, from: from, days: days, limit: limit,
                                    siteCode: siteCode, now: now)
        }
    }

    /// Registers a patient under the next chart number of this site; a likely duplicate is refused
    /// unless `allowingDuplicate`.
    public func addPatient(_ new: PatientRepository.NewPatient, allowingDuplicate: Bool = false, today: CivilDate) throws -> Patient {
        try run(.patientAdd, entity: "patient") { db, _, subject in
            let patient = try PatientRepository(db).add(new, allowingDuplicate: allowingDuplicate, now: now, today: today)
            subject.entityID = patient.id
            subject.patientID = patient.id
            return patient
        }
    }

    /// One patient's record (an audited read of their demographics).
    public func patient(chart: String) throws -> Patient {
        try run(.patientShow, entity: "patient", locate: Subject.patient(chart: chart)) { db, _, _ in
            try PatientRepository(db).require(chart: chart)
        }
    }

    /// Patients matching a name, chart number or phone (audited: a list of demographics; the words
    /// searched for are not recorded, they may be a name). At least one is listed: SQLite reads a negative limit as none.
    public func findPatients(_ text: String, limit: Int, includingArchived: Bool = false) throws -> [Patient] {
        try run(.patientFind, entity: "patient") { db, _, _ in
            try PatientRepository(db).find(text, limit: max(1, limit), includingArchived: includingArchived)
        }
    }

    /// One patient's record with their address and emergency contact, whether archived (an audited read),
    /// and for those who may read clinical content, the active precautions and consents (else nil).
    public func patientRecord(chart: String) throws
        -> (patient: Patient, contact: PatientRepository.Contact, archived: Bool, clinical: ClinicalSummary?) {
        try run(.patientShow, entity: "patient", locate: Subject.patient(chart: chart)) { db, actor, _ in
            let patients = PatientRepository(db)
            let patient = try patients.require(chart: chart)
            let clinical = actor.may(.clinicalRead) ? try PatientRecords.summary(db, patientID: patient.id) : nil
            return (patient, try patients.contact(patient.id), try patients.isArchived(patient.id), clinical)
        }
    }

    /// Changes a patient's record (the entry names the patient, never the values).
    public func editPatient(chart: String, _ changes: PatientRepository.Changes, today: CivilDate) throws -> Patient {
        try run(.patientEdit, entity: "patient", locate: Subject.patient(chart: chart)) { db, _, _ in
            try PatientRepository(db).edit(chart: chart, changes, today: today)
        }
    }

    /// Archives a chart: hidden from `find` unless asked for, no new bookings, history kept.
    public func archivePatient(chart: String) throws -> Patient {
        try run(.patientArchive, entity: "patient", locate: Subject.patient(chart: chart)) { db, _, _ in
            try PatientRepository(db).setArchived(chart: chart, true)
        }
    }

    /// Merges chart `drop` into chart `keep` (the entry is against the chart dropped, its target the one kept).
    public func mergePatients(keep: String, drop: String) throws -> (keep: Patient, drop: Patient) {
        try run(.patientMerge, entity: "patient", locate: Subject.recordedPatient(chart: drop)) { db, _, subject in
            let merged = try PatientRepository(db).merge(keep: keep, drop: drop, now: now)
            subject.entityID = merged.keep.id
            subject.patientID = merged.drop.id
            return merged
        }
    }

    /// Imports a CSV file of patients, all rows or none.
    public func importPatients(_ data: [UInt8], dateFormat: CSVDateFormat, policy: PatientImport.DuplicatePolicy,
                               today: CivilDate) throws -> PatientImport.Outcome {
        try importPatients(CSVStream(bytes: data), dateFormat: dateFormat, policy: policy, today: today)
    }

    /// Registers the patients of a CSV stream (a file or standard input), read once: all or none.
    public func importPatients(_ stream: CSVStream, dateFormat: CSVDateFormat, policy: PatientImport.DuplicatePolicy,
                               today: CivilDate, progress: ProgressReport? = nil) throws -> PatientImport.Outcome {
        try run(.patientImport, entity: "patient") { db, _, _ in
            try PatientImport(db).run(stream, dateFormat: dateFormat, policy: policy, now: now, today: today, progress: progress)
        }
    }

    /// Adds a weekly working range for a clinician at a site (this database's own unless `siteCode`).
    public func addHours(handle: String, hours: WorkingHours, siteCode: String? = nil) throws -> Site {
        try run(.hoursSet, entity: "staff") { db, _, subject in
            subject.entityID = try StaffRepository(db).require(handle).id
            let site = try SiteRepository(db).chosen(siteCode)
            try AvailabilityRepository(db).addHours(handle: handle, hours: hours, site: site, now: now)
            return site
        }
    }

    /// Clears a clinician's working ranges on one weekday at a site (this database's own unless `siteCode`).
    public func clearHours(handle: String, weekday: Int, siteCode: String? = nil) throws -> Site {
        try run(.hoursSet, entity: "staff") { db, _, subject in
            subject.entityID = try StaffRepository(db).require(handle).id
            let site = try SiteRepository(db).chosen(siteCode)
            try AvailabilityRepository(db).clearHours(handle: handle, weekday: weekday, site: site)
            return site
        }
    }

    /// Records time off for a clinician; over appointments still booked it is refused (`has-bookings`)
    /// unless `force`. Returns those appointments (what the desk must move or cancel).
    @discardableResult
    public func addTimeOff(handle: String, interval: TimeSpan, reason: String?, force: Bool = false) throws -> [AppointmentRecord] {
        try run(.timeOffAdd, entity: "staff") { db, _, subject in
            subject.entityID = try StaffRepository(db).require(handle).id
            return try AvailabilityRepository(db).addTimeOff(handle: handle, interval: interval, reason: reason, force: force, now: now)
        }
    }
}
