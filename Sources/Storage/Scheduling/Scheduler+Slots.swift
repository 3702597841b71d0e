import Models

extension Scheduler {
    /// A free start offered to the front desk.
    public struct FreeSlot: Sendable, Equatable {
        public var start: Int64
        public var end: Int64
        public var practitionerHandle: String
        public var roomName: String
        /// The site of the room, whose zone the slot is shown in.
        public var siteID: String
    }

    /// The next free starts for a service at a site (this database's own unless `siteCode`) from a
    /// date, for one practitioner or every clinician of the service's discipline who holds its scope,
    /// on a 15-minute grid in the site's zone, sorted by time, none on a day the site is closed: within their hours at that site, free
    /// of their bookings at every site, in a free room of that site.
    package func slots(serviceSlug: String, practitionerHandle: String?, from: CivilDate, days: Int, limit: Int,
                      siteCode: String? = nil, now: Int64, gridMinutes: Int = 15) throws -> [FreeSlot] {
        try db.read { db in
            let sites = SiteRepository(db)
            let site = try sites.chosen(siteCode)
            let zone = try sites.zone(of: site)
            let service = try ServiceRepository(db).require(serviceSlug)
            try ServiceRepository(db).requireOffered(service, at: site)
            let staff = StaffRepository(db)
            let practitioners: [Practitioner]
            if let practitionerHandle {
                practitioners = [try staff.require(practitionerHandle)]
            } else {
                practitioners = try staff.all().filter { $0.isClinician && $0.discipline == service.discipline }
            }
            let closed = Set(try ClosureRepository(db).closures(siteID: site.id, from: from, through: from.adding(days: max(0, days - 1))).map(\.date))
            let dayList = (0..<days).map { from.adding(days: $0) }.filter { !closed.contains($0) }
            let windowStart = zone.startOfDay(from)
            let windowEnd = zone.startOfDay(from.adding(days: days)) + 86_400_000
            let maxDuration = try maxDurationMillis()
            let rooms = try RoomRepository(db).at(siteID: site.id)
            var roomBusy = Array(repeating: [TimeSpan](), count: rooms.count)
            let roomIndex = Dictionary(uniqueKeysWithValues: rooms.enumerated().map { ($1.id, $0) })
            try db.forEach("""
                SELECT room_id, start_ms, end_ms FROM appointment
                WHERE start_ms > ? AND start_ms < ? AND status != 'cancelled'
                """, [windowStart - maxDuration, windowEnd]) { row in
                if let index = roomIndex[row.string(0)] { roomBusy[index].append(TimeSpan(start: row.int(1), end: row.int(2))) }
            }
            let availability = AvailabilityRepository(db)
            var found: [FreeSlot] = []
            for practitioner in practitioners {
                let credentials = try staff.credentials(staffID: practitioner.id)
                let busy = try db.query("""
                    SELECT start_ms, end_ms FROM appointment
                    WHERE staff_id = ? AND start_ms > ? AND start_ms < ? AND status != 'cancelled'
                    """, [practitioner.id, windowStart - maxDuration, windowEnd]).map { TimeSpan(start: $0.int(0), end: $0.int(1)) }
                let starts = SlotSearch.freeStarts(
                    durationMinutes: service.durationMinutes, gridMinutes: gridMinutes, days: dayList, zone: zone,
                    hours: try availability.hours(staffID: practitioner.id, siteID: site.id),
                    timeOff: try availability.timeOff(staffID: practitioner.id, from: windowStart, to: windowEnd),
                    practitionerBusy: busy, roomBusy: roomBusy, notBefore: now,
                    qualifiedOn: { day in service.requires.map { BookingRules.holds($0, credentials: credentials, on: day) } ?? true },
                    limit: limit)
                found += starts.map {
                    FreeSlot(start: $0.start, end: $0.start + Int64(service.durationMinutes) * 60_000,
                             practitionerHandle: practitioner.handle, roomName: rooms[$0.roomIndex].name,
                             siteID: rooms[$0.roomIndex].siteID)
                }
            }
            return Array(found.sorted { ($0.start, $0.practitionerHandle) < ($1.start, $1.practitionerHandle) }.prefix(limit))
        }
    }
}
