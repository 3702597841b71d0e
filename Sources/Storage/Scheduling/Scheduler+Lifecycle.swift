import Models

extension Scheduler {
    /// Moves an appointment, running every booking rule again while ignoring the appointment itself.
    /// An appointment whose note is signed stays put (`note-signed`); a draft note moves with it.
    package func reschedule(_ text: String, start: Int64, practitionerHandle: String?, roomName: String?, now: Int64) throws -> AppointmentRecord {
        try db.write { db in
            let current = try resolve(text)
            guard current.appointment.status == .booked else {
                throw ClinicError(.invalidTransition, "only a booked appointment can be moved; this one is \(current.appointment.status.rawValue)")
            }
            try NoteSession.requireChangeable(noteStatuses: try noteStatuses(of: current.id), .move)
            // It stays at its site: another room of that site, in that site's zone.
            let sites = SiteRepository(db)
            guard let site = try sites.byID(current.siteID) else { throw ClinicError.notFound("appointment's site") }
            let zone = try sites.zone(of: site)
            guard let patient = try PatientRepository(db).byID(current.appointment.patientID),
                  let service = try ServiceRepository(db).byID(current.appointment.serviceID) else {
                throw ClinicError.notFound("appointment's patient or service")
            }
            let practitioner = try StaffRepository(db).require(practitionerHandle ?? current.practitionerHandle)
            guard practitioner.isClinician, practitioner.active else {
                throw ClinicError(.notAClinician, "'\(practitioner.handle)' is not an active clinician and cannot be booked")
            }
            if practitioner.id != current.appointment.practitionerID, let author = try draftAuthorWithEntries(of: current.id, other: practitioner.id) {
                // The desk cannot hand one clinician's unsigned entries to another, who would then sign them as their own.
                throw ClinicError(.hasDraft, "this appointment has a draft note by '\(author)' with entries; the practitioner cannot change until it is signed (or cancel the booking and book again)")
            }
            let span = TimeSpan(start: start, end: start + current.appointment.span.durationMillis)
            let rooms = RoomRepository(db)
            let roomID: String
            if let roomName {
                roomID = try checkSlot(span, patient: patient, practitioner: practitioner, service: service,
                                       room: try rooms.require(roomName, siteID: site.id), excluding: current.id, site: site, zone: zone).id
            } else {
                let keep = try rooms.byID(current.appointment.roomID)
                let kept = try? checkSlot(span, patient: patient, practitioner: practitioner, service: service,
                                          room: keep, excluding: current.id, site: site, zone: zone)
                roomID = try (kept ?? checkSlot(span, patient: patient, practitioner: practitioner, service: service,
                                                room: nil, excluding: current.id, site: site, zone: zone)).id
            }
            try db.execute("UPDATE appointment SET start_ms = ?, end_ms = ?, staff_id = ?, room_id = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?",
                           [span.start, span.end, practitioner.id, roomID, now, current.id])
            let moved = try record(id: current.id)
            try keepDraftsInStep(with: moved, zone: zone, now: now)
            return moved
        }
    }

    /// Cancels (kept as a status with its reason; late when under 24 h notice). With `series`,
    /// also cancels every later occurrence of the same series that is still booked. One occurrence
    /// with a signed note refuses the whole request (`note-signed`) and nothing is cancelled.
    package func cancel(_ text: String, reason: String?, series: Bool, now: Int64) throws -> [AppointmentRecord] {
        try PlainText.require(reason, field: .reason)
        return try db.write { db in
            let current = try resolve(text)
            _ = try current.appointment.status.transition(to: .cancelled)
            var targets = [current]
            if series {
                guard let seriesID = current.appointment.seriesID else {
                    throw ClinicError(.notASeries, "this appointment is not part of a recurring series")
                }
                targets += try db.query(AppointmentRecord.select + " WHERE a.series_id = ? AND a.start_ms > ? AND a.status = 'booked' ORDER BY a.start_ms",
                                        [seriesID, current.appointment.span.start]).map(AppointmentRecord.init)
            }
            for target in targets {
                try NoteSession.requireChangeable(noteStatuses: try noteStatuses(of: target.id), .cancel)
            }
            for target in targets {
                let late = CancellationPolicy.isLate(start: target.appointment.span.start, cancelledAt: now)
                try db.execute("UPDATE appointment SET status = 'cancelled', late_cancel = ?, cancel_reason = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?",
                               [late, reason, now, target.id])
            }
            return try targets.map { try record(id: $0.id) }
        }
    }

    /// Check-in, no-show or complete, refusing illegal moves (`invalid-transition`).
    package func setStatus(_ text: String, to next: AppointmentStatus, now: Int64) throws -> AppointmentRecord {
        try db.write { db in
            let current = try resolve(text)
            let status = try current.appointment.status.transition(to: next)
            let zone = try SiteTimeZone(current.siteTimeZone)
            try AppointmentStatus.requireDayReached(for: next, appointmentDate: zone.local(current.appointment.span.start).date,
                                                    today: zone.local(now).date)
            try db.execute("UPDATE appointment SET status = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?", [status.rawValue, now, current.id])
            return try record(id: current.id)
        }
    }

    /// The status of each note of an appointment (two sites may each have started one).
    func noteStatuses(of appointmentID: String) throws -> [NoteStatus] {
        try db.query("SELECT status FROM note WHERE appointment_id = ?", [appointmentID]).map { NoteStatus(rawValue: $0.string(0)) ?? .draft }
    }

    /// The handle of the author of a draft note of the appointment, other than `other`, that holds anything
    /// written: SOAP text, scores, needles, a needle site not removed, an adverse event. Nil when none does.
    func draftAuthorWithEntries(of appointmentID: String, other: String) throws -> String? {
        try db.first("""
            SELECT s.handle FROM note n JOIN staff s ON s.id = n.author_id
            WHERE n.appointment_id = ? AND n.status = 'draft' AND n.author_id != ?
              AND (n.subjective != '' OR n.objective != '' OR n.assessment != '' OR n.plan != '' OR n.pain_before IS NOT NULL
                   OR n.pain_after IS NOT NULL OR n.psfs IS NOT NULL OR n.ndi IS NOT NULL OR n.odi IS NOT NULL OR n.needles_removed != 0
                   OR EXISTS (SELECT 1 FROM needling g WHERE g.note_id = n.id AND g.id NOT IN (SELECT needling_id FROM needling_removal))
                   OR EXISTS (SELECT 1 FROM adverse_event e WHERE e.note_id = n.id))
            LIMIT 1
            """, [appointmentID, other])?.string(0)
    }

    /// Gives each draft note of a moved appointment its new date and practitioner, as `NoteSession` decides.
    func keepDraftsInStep(with moved: AppointmentRecord, zone: SiteTimeZone, now: Int64) throws {
        let session = NoteSession(appointment: moved.appointment, zone: zone)
        for row in try db.query("SELECT id, status, author_id, session_date FROM note WHERE appointment_id = ?", [moved.id]) {
            let status = NoteStatus(rawValue: row.string(1)) ?? .draft
            guard session.draftFollows(status: status, author: row.string(2), date: CivilDate.parse(row.string(3))) else { continue }
            try db.execute("UPDATE note SET author_id = ?, session_date = ?, updated_at = ? WHERE id = ?",
                           [session.practitionerID, session.date.description, now, row.string(0)])
        }
    }
}
