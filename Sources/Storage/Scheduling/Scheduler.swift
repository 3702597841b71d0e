import Models

/// The front desk's use-cases. Each write checks and writes in one `BEGIN IMMEDIATE` transaction,
/// so two terminals booking the same slot serialise and exactly one wins.
public struct Scheduler {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// What the front desk asked for.
    public struct BookingRequest: Sendable {
        public var patientChart: String
        public var practitionerHandle: String
        public var serviceSlug: String
        public var start: Int64
        public var roomName: String?
        public var durationMinutes: Int?
        public var recurrence: Recurrence?
        /// The site to book at, by code; nil: this database's own.
        public var siteCode: String?

        public init(patientChart: String, practitionerHandle: String, serviceSlug: String, start: Int64,
                    roomName: String? = nil, durationMinutes: Int? = nil, recurrence: Recurrence? = nil, siteCode: String? = nil) {
            self.siteCode = siteCode
            self.patientChart = patientChart
            self.practitionerHandle = practitionerHandle
            self.serviceSlug = serviceSlug
            self.start = start
            self.roomName = roomName
            self.durationMinutes = durationMinutes
            self.recurrence = recurrence
        }
    }

    /// A series booked with its clashing dates left out: what was booked, and each date skipped with why.
    public struct BookingOutcome: Sendable {
        public var booked: [AppointmentRecord]
        public var skipped: [SkippedDate]
    }

    /// One occurrence of a series that could not be booked: its start and the refusal.
    public struct SkippedDate: Sendable {
        public var start: Int64
        public var refusal: ClinicError
    }

    /// Books one appointment or a whole series, all or nothing.
    package func book(_ request: BookingRequest, now: Int64) throws -> [AppointmentRecord] {
        try book(request, skippingClashes: false, now: now).booked
    }

    /// Books one appointment or a series. A series with a clashing date is refused whole, each clash on
    /// its own line, unless `skippingClashes`: then the free dates are booked and the others listed
    /// (still refused when no date is free).
    package func book(_ request: BookingRequest, skippingClashes: Bool, now: Int64) throws -> BookingOutcome {
        try db.write { db in
            let sites = SiteRepository(db)
            let site = try sites.chosen(request.siteCode)
            let zone = try sites.zone(of: site)
            let patient = try PatientRepository(db).require(chart: request.patientChart)
            guard try !PatientRepository(db).isArchived(patient.id) else {
                throw ClinicError(.archived, "\(patient.chart) is archived and takes no new bookings")
            }
            let practitioner = try StaffRepository(db).require(request.practitionerHandle)
            guard practitioner.isClinician, practitioner.active else {
                throw ClinicError(.notAClinician, "'\(practitioner.handle)' is not an active clinician and cannot be booked")
            }
            let service = try ServiceRepository(db).require(request.serviceSlug)
            try ServiceRepository(db).requireOffered(service, at: site)
            let fixedRoom = try request.roomName.map { try RoomRepository(db).require($0, siteID: site.id) }
            let duration = Int64(request.durationMinutes ?? service.durationMinutes) * 60_000
            let starts = try request.recurrence.map { try $0.instants(from: zone.local(request.start), in: zone) } ?? [request.start]
            let seriesID = starts.count > 1 ? UUIDv7.string(at: Instant.date(now)) : nil

            var planned: [(span: TimeSpan, room: Room)] = []
            var failures: [SkippedDate] = []
            for start in starts {
                let span = TimeSpan(start: start, end: start + duration)
                do {
                    let room = try checkSlot(span, patient: patient, practitioner: practitioner, service: service,
                                             room: fixedRoom, excluding: nil, site: site, zone: zone)
                    if let clash = planned.first(where: { $0.span.overlaps(span) }) {
                        throw ClinicError(.slotTaken, "the series itself overlaps at \(zone.format(clash.span.start))")
                    }
                    planned.append((span, room))
                } catch let error as ClinicError where starts.count > 1 && error.category == .refused {
                    failures.append(SkippedDate(start: start, refusal: error))
                }
            }
            if let first = failures.first, !skippingClashes || planned.isEmpty {
                let list = failures.map { failure -> ErrorMessage in
                    "\n  \(zone.format(failure.start)) (\(failure.refusal.code)): " + failure.refusal.text
                }.reduce("", +)
                throw ClinicError(first.refusal.code, "\(failures.count) of \(starts.count) occurrences cannot be booked; nothing was booked:" + list)
            }
            var booked: [AppointmentRecord] = []
            for (offset, plan) in planned.enumerated() {
                let id = UUIDv7.string(at: Instant.date(now + Int64(offset)))
                try db.execute("""
                    INSERT INTO appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, series_id,
                                             original_start_ms, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?)
                    """, [id, patient.id, practitioner.id, plan.room.id, service.id, plan.span.start, plan.span.end, seriesID,
                          plan.span.start, now, now])
                // What was just inserted, as `record(id:)` would read it back.
                let appointment = Appointment(id: id, patientID: patient.id, practitionerID: practitioner.id, roomID: plan.room.id,
                                              serviceID: service.id, span: plan.span, status: .booked, lateCancel: false,
                                              cancelReason: nil, seriesID: seriesID)
                booked.append(AppointmentRecord(appointment: appointment, patientChart: patient.chart, practitionerHandle: practitioner.handle,
                                                roomName: plan.room.name, serviceSlug: service.slug, site: site))
            }
            try db.execute("UPDATE schedule_bound SET value = ? WHERE key = 'max_duration_ms' AND value < ?", [duration, duration])
            return BookingOutcome(booked: booked, skipped: failures)
        }
    }

    /// Runs every rule for one interval at a site (open that day) and returns the room to use (one of that site's);
    /// throws the first refusal. The practitioner and the patient clash with their bookings at every
    /// site (nobody is in two places at once); a room only with its own.
    func checkSlot(_ span: TimeSpan, patient: Patient, practitioner: Practitioner, service: Service, room: Room?,
                   excluding: String?, site: Site, zone: SiteTimeZone) throws -> Room {
        let staff = StaffRepository(db)
        let date = zone.local(span.start).date
        try SiteClosure.requireOpen(try ClosureRepository(db).closure(siteID: site.id, on: date))
        if let scope = service.requires {
            try BookingRules.requireScope(scope, handle: practitioner.handle, credentials: try staff.credentials(staffID: practitioner.id), on: date)
        }
        let availability = AvailabilityRepository(db)
        try BookingRules.requireWithinHours(span, handle: practitioner.handle, hours: try availability.hours(staffID: practitioner.id, siteID: site.id),
                                            timeOff: try availability.timeOff(staffID: practitioner.id, from: span.start, to: span.end),
                                            zone: zone)
        let maxDuration = try maxDurationMillis()
        if let existing = try clash(column: "staff_id", id: practitioner.id, span: span, excluding: excluding, maxDuration: maxDuration) {
            throw slotTaken(Clash(resource: .practitioner, existing: existing), name: practitioner.handle, zone: zone)
        }
        if let existing = try clash(column: "patient_id", id: patient.id, span: span, excluding: excluding, maxDuration: maxDuration) {
            throw slotTaken(Clash(resource: .patient, existing: existing), name: patient.chart, zone: zone)
        }
        if let room {
            if let existing = try clash(column: "room_id", id: room.id, span: span, excluding: excluding, maxDuration: maxDuration) {
                throw slotTaken(Clash(resource: .room, existing: existing), name: room.name, zone: zone)
            }
            return room
        }
        for candidate in try RoomRepository(db).at(siteID: site.id) where try clash(column: "room_id", id: candidate.id, span: span, excluding: excluding, maxDuration: maxDuration) == nil {
            return candidate
        }
        throw ClinicError(.slotTaken, "no room is free \(zone.format(span.start))–\(TimeOfDay.format(zone.local(span.end).minuteOfDay))")
    }

    func slotTaken(_ clash: Clash, name: String, zone: SiteTimeZone) -> ClinicError {
        ClinicError(.slotTaken, ErrorMessage(verbatim: BookingRules.describe(clash, name: name, zone: zone)))
    }

    /// The longest appointment ever stored: the lower bound of every overlap query.
    func maxDurationMillis() throws -> Int64 {
        try db.first("SELECT value FROM schedule_bound WHERE key = 'max_duration_ms'")?.int(0) ?? 0
    }

    /// The first non-cancelled appointment of one resource overlapping `span`, found through the
    /// (resource, start) index within the bounded window `(start − maxDuration, end)`.
    func clash(column: String, id: String, span: TimeSpan, excluding: String?, maxDuration: Int64) throws -> TimeSpan? {
        let window = OverlapWindow(for: span, maxDurationMillis: maxDuration)
        // A patient is every chart merged into theirs (`patient merge`).
        let match = column == "patient_id" ? "patient_id IN (\(PatientRepository.samePerson))" : "\(column) = ?"
        return try db.first("""
            SELECT start_ms, end_ms FROM appointment
            WHERE \(match) AND start_ms > ? AND start_ms < ? AND end_ms > ? AND status != 'cancelled' AND id != ?
            ORDER BY start_ms LIMIT 1
            """, [id, window.lowerExclusive, window.upperExclusive, span.start, excluding ?? ""])
            .map { TimeSpan(start: $0.int(0), end: $0.int(1)) }
    }

    // MARK: Reading

    public func record(id: String) throws -> AppointmentRecord {
        guard let row = try db.first(AppointmentRecord.select + " WHERE a.id = ?", [id]) else {
            throw ClinicError.notFound("appointment")
        }
        return AppointmentRecord(row)
    }

    /// The appointment a user named by its id or a unique suffix of ≥ 8 hex digits.
    public func resolve(_ text: String) throws -> AppointmentRecord {
        try record(id: try db.resolveID(table: "appointment", text, what: "appointment"))
    }

    /// Appointments starting in `[from, to)`, optionally for one practitioner or room, by start time.
    public func appointments(from: Int64, to: Int64, practitionerID: String? = nil, roomID: String? = nil,
                             includeCancelled: Bool = true) throws -> [AppointmentRecord] {
        var sql = AppointmentRecord.select + " WHERE a.start_ms >= ? AND a.start_ms < ?"
        var arguments: [SQLBindable] = [from, to]
        if let practitionerID {
            sql += " AND a.staff_id = ?"
            arguments.append(practitionerID)
        }
        if let roomID {
            sql += " AND a.room_id = ?"
            arguments.append(roomID)
        }
        if !includeCancelled { sql += " AND a.status != 'cancelled'" }
        return try db.query(sql + " ORDER BY a.start_ms, s.handle", arguments).map(AppointmentRecord.init)
    }
}
