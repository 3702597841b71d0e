import Models

/// The days a schedule covers, in the zone of the site it is for.
public enum ScheduleDays: Sendable, Equatable {
    /// Today at that site.
    case today
    case day(CivilDate)
    /// Monday to Sunday of the week holding this date.
    case week(containing: CivilDate)
}

/// One site's schedule for some days: its appointments (cancelled ones included), which of them are
/// double booked (an offline booking at two sites), and what the same practitioners have at other sites.
public struct SiteSchedule: Sendable {
    public var site: Site
    /// The zone of `site`, in which the days run.
    public var zone: SiteTimeZone
    public var days: [CivilDate]
    /// This site's appointments starting on those days, by start.
    public var appointments: [AppointmentRecord]
    /// The double bookings any of `appointments` is part of, with a booking here or at another site.
    public var doubleBookings: [DoubleBooking]
    /// Live bookings at other sites on those days of the practitioners asked for (`--with`), or of
    /// those booked here; and any other site's booking in `doubleBookings`.
    public var elsewhere: [AppointmentRecord]
    /// The days among `days` the site is closed.
    public var closures: [SiteClosure] = []
    /// Patients' names ("Ana Silva") by chart number, only for an actor whose role may see them.
    public var patientNames: [String: String] = [:]

    /// The ids of `appointments` that overlap another booking of the same practitioner, room or patient.
    public var overlapping: Set<String> {
        let here = Set(appointments.map(\.id))
        return Set(doubleBookings.flatMap { [$0.first, $0.second] }).intersection(here)
    }
}

extension Scheduler {
    /// The schedule of one site (`siteCode`, else this database's own) on some days of its zone,
    /// optionally for one practitioner or one of its rooms.
    package func siteSchedule(_ days: ScheduleDays, siteCode: String?, practitionerHandle: String?, roomName: String?,
                              now: Int64) throws -> SiteSchedule {
        try db.read { db in
            let sites = SiteRepository(db)
            let site = try sites.chosen(siteCode)
            let zone = try sites.zone(of: site)
            let dayList: [CivilDate] = switch days {
            case .today: [zone.local(now).date]
            case .day(let date): [date]
            case .week(let date): date.week
            }
            let practitionerID = try practitionerHandle.map { try StaffRepository(db).require($0).id }
            let roomID = try roomName.map { try RoomRepository(db).require($0, siteID: site.id).id }
            guard let firstDay = dayList.first, let lastDay = dayList.last else {
                return SiteSchedule(site: site, zone: zone, days: dayList, appointments: [], doubleBookings: [], elsewhere: [])
            }
            let from = zone.startOfDay(firstDay), to = zone.startOfDay(lastDay.adding(days: 1))
            // Every site's bookings that can overlap the days: one that started before them may still run into them.
            let scheduler = Scheduler(db)
            let around = try scheduler.appointments(from: from - (try scheduler.maxDurationMillis()), to: to)
            let shown = around.filter { record in
                record.siteID == site.id && record.appointment.span.start >= from
                    && (practitionerID == nil || record.appointment.practitionerID == practitionerID)
                    && (roomID == nil || record.appointment.roomID == roomID)
            }
            let shownIDs = Set(shown.map(\.id))
            let doubleBookings = DoubleBooking.find(in: around.map(\.appointment))
                .filter { shownIDs.contains($0.first) || shownIDs.contains($0.second) }
            let involved = Set(doubleBookings.flatMap { [$0.first, $0.second] })
            let practitioners = practitionerID.map { Set([$0]) } ?? Set(shown.map(\.appointment.practitionerID))
            let elsewhere = around.filter { record in
                record.siteID != site.id && record.appointment.status.holdsSlot
                    && (involved.contains(record.id)
                        || (record.appointment.span.start >= from && practitioners.contains(record.appointment.practitionerID)))
            }
            return SiteSchedule(site: site, zone: zone, days: dayList, appointments: shown, doubleBookings: doubleBookings,
                                elsewhere: elsewhere,
                                closures: try ClosureRepository(db).closures(siteID: site.id, from: firstDay, through: lastDay))
        }
    }

    /// One patient's appointments at every site, by start: all, those starting from `now` on, or those before.
    public func appointments(patientID: String, upcoming: Bool? = nil, now: Int64) throws -> [AppointmentRecord] {
        var sql = AppointmentRecord.select + " WHERE a.patient_id IN (\(PatientRepository.samePerson))"
        var arguments: [SQLBindable] = [patientID]
        if let upcoming {
            sql += upcoming ? " AND a.start_ms >= ?" : " AND a.start_ms < ?"
            arguments.append(now)
        }
        return try db.query(sql + " ORDER BY a.start_ms, a.id", arguments).map(AppointmentRecord.init)
    }
}
