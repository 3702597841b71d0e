import Models

/// The appointments of one practitioner's or one room's calendar, with the other members of
/// every series they touch so the series can be written as one recurring event; each carries the zone
/// and name of its site (its room's), in which the calendar writes its times.
public struct CalendarFeed {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Whose calendar: a practitioner or a room.
    public enum Owner: Sendable {
        case practitioner(String)
        case room(String)
    }

    static let select = """
        SELECT a.id, a.series_id, COALESCE(a.original_start_ms, a.start_ms), a.start_ms, a.end_ms, a.status, a.sequence, a.updated_at,
               p.chart, v.slug, v.name, r.name, s.handle, a.staff_id, a.room_id, t.name, t.timezone
        FROM appointment a
        JOIN patient p ON p.id = a.patient_id
        JOIN staff s ON s.id = a.staff_id
        JOIN room r ON r.id = a.room_id
        JOIN site t ON t.id = r.site_id
        JOIN service v ON v.id = a.service_id
        """

    /// Appointments starting in `[from, to)` for `owner`, plus all members of their series
    /// (flagged unselected when they belong to someone else); read in one snapshot.
    package func appointments(for owner: Owner, from: Int64, to: Int64) throws -> [CalendarAppointment] {
        try db.read { db in
            let column: String, id: String
            switch owner {
            case .practitioner(let handle):
                column = "a.staff_id"
                id = try StaffRepository(db).require(handle).id
            case .room(let name):
                column = "a.room_id"
                id = try RoomRepository(db).require(name).id
            }
            let sites = SiteRepository(db)
            func make(_ row: Row) throws -> CalendarAppointment {
                CalendarAppointment(id: row.string(0), seriesID: row.optionalString(1), originalStart: row.int(2),
                                    span: TimeSpan(start: row.int(3), end: row.int(4)),
                                    status: AppointmentStatus(rawValue: row.string(5)) ?? .booked, sequence: Int(row.int(6)),
                                    updatedAt: row.int(7), patientChart: row.string(8), serviceSlug: row.string(9), serviceName: row.string(10),
                                    roomName: row.string(11), practitionerHandle: row.string(12),
                                    selected: (column == "a.staff_id" ? row.string(13) : row.string(14)) == id,
                                    zone: try sites.zone(named: row.string(16)), siteName: row.string(15))
            }
            // `column` is one of two constants above, never user text.
            let direct = try db.query(Self.select + " WHERE \(column) = ? AND a.start_ms >= ? AND a.start_ms < ? ORDER BY a.start_ms",
                                      [id, from, to]).map(make)
            var result = direct
            var seen = Set(direct.map(\.id))
            for seriesID in Set(direct.compactMap(\.seriesID)).sorted() {
                for member in try db.query(Self.select + " WHERE a.series_id = ? ORDER BY a.start_ms", [seriesID]).map(make)
                where !seen.contains(member.id) {
                    seen.insert(member.id)
                    result.append(member)
                }
            }
            return result
        }
    }
}
