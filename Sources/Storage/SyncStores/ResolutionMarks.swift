import Models

/// Bookings cancelled because a person resolved a double booking in favour of another one. Found from
/// the synced data alone, never from a cancel reason's text: a resolution names its conflict, whose id
/// is derived from the two bookings (`ConflictIdentity`), so every site marks the same bookings, even a
/// site that never listed the conflict (it received the cancellation together with the bookings).
public struct ResolutionMarks {
    let db: Database

    public init(_ db: Database) { self.db = db }

    static let kind = "double-booking"

    /// The other bookings overlapping a booking in time for its practitioner, room or patient, whatever
    /// their status; bounded below by the longest appointment, so the start indexes serve.
    func overlapping(_ id: String) throws -> [String] {
        try db.query(Self.overlapQuery, [id, try ScheduleBoundStore(db).maxDuration()]).map { $0.string(0) }
    }

    private static let overlapQuery = ["staff_id", "room_id", "patient_id"].map { column in
        """
        SELECT o.id FROM appointment x JOIN appointment o ON o.\(column) = x.\(column) AND o.start_ms > x.start_ms - ?2
            AND o.start_ms < x.end_ms AND o.end_ms > x.start_ms AND o.id != x.id
        WHERE x.id = ?1
        """
    }.joined(separator: " UNION ")

    /// Sides A and B of the double booking between two bookings: A is the smaller (HLC, origin) of the
    /// bookings' first changes, as `sync conflicts` lists them.
    func sides(_ identity: ConflictIdentity) throws -> (a: String, b: String) {
        let store = ConflictStore(db)
        if try store.sideOrder(table: "appointment", row: identity.b) < store.sideOrder(table: "appointment", row: identity.a) {
            return (identity.b, identity.a)
        }
        return (identity.a, identity.b)
    }

    /// True when the booking is cancelled and a resolution of a double booking it was part of kept the other booking.
    public func isCancelledByResolution(_ record: AppointmentRecord) throws -> Bool {
        guard record.appointment.status == .cancelled else { return false }
        let store = ConflictStore(db)
        for other in try overlapping(record.id) {
            let identity = ConflictIdentity.between(kind: Self.kind, record.id, other)
            guard let keep = try store.resolution(of: identity.id) else { continue }
            let sides = try sides(identity)
            if (keep == "A" ? sides.b : sides.a) == record.id { return true }
        }
        return false
    }

    /// The records, each cancelled one marked when a resolution cancelled it (`cancelledByResolution`).
    public func marking(_ records: [AppointmentRecord]) throws -> [AppointmentRecord] {
        try records.map { record in
            var marked = record
            marked.cancelledByResolution = try isCancelledByResolution(record)
            return marked
        }
    }

    /// The resolved double bookings among `conflictIDs` (ids this site holds a resolution for but no
    /// conflict row), found from the cancelled bookings: a site records a double booking only when it
    /// sees both bookings active, and one that received the cancellation with them never did.
    public func resolvedDoubleBookings(among conflictIDs: Set<String>) throws -> [ConflictIdentity] {
        guard !conflictIDs.isEmpty else { return [] }
        var found: [String: ConflictIdentity] = [:]
        for row in try db.query("SELECT id FROM appointment WHERE status = 'cancelled'") {
            let id = row.string(0)
            for other in try overlapping(id) {
                let identity = ConflictIdentity.between(kind: Self.kind, id, other)
                if conflictIDs.contains(identity.id) { found[identity.id] = identity }
            }
            if found.count == conflictIDs.count { break }
        }
        return found.values.sorted { $0.id < $1.id }
    }

    /// The bookings at this site cancelled by a resolution whose cancellation reached this database
    /// since the last look, and the look recorded now (a local mark: the newest change held here).
    /// A write: the mark is the database's own setting, never synced.
    public func takeUnseen() throws -> [AppointmentRecord] {
        try db.write { db in
            let site = try SiteRepository(db).local()
            let seen = try LocalSettings(db).resolutionsSeenThrough()
            let newest = try db.first("SELECT coalesce(max(seq), 0) FROM change")?.int(0) ?? 0
            let scheduler = Scheduler(db)
            var unseen: [AppointmentRecord] = []
            for row in try db.query("SELECT DISTINCT row_id FROM change WHERE seq > ? AND tbl = 'appointment' AND grp = 'status'", [seen]) {
                guard let record = try? scheduler.record(id: row.string(0)), record.siteID == site.id,
                      try isCancelledByResolution(record) else { continue }
                var marked = record
                marked.cancelledByResolution = true
                unseen.append(marked)
            }
            try LocalSettings(db).setResolutionsSeen(through: newest)
            return unseen.sorted { $0.appointment.span.start < $1.appointment.span.start }
        }
    }
}
