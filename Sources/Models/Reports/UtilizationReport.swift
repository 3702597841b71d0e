/// One line of the utilization report: booked time against the time that could have been booked.
public struct UtilizationRow: Sendable, Equatable {
    public var name: String
    public var bookedMinutes: Int
    public var availableMinutes: Int
    /// booked / available; nil when nothing was available. Above 1 when bookings exceed hours
    /// (a walk-in back-entered outside them).
    public var ratio: Double?
}

/// Utilization per practitioner (booked hours / working hours less time off) and per room
/// (booked hours / the hours the clinic is open, i.e. the union of everyone's working hours).
/// Booked means any appointment that held its slot: every status but cancelled, no-shows included.
public enum UtilizationReport {
    /// Minutes of `hours` on `days` in `zone`, less the parts covered by `timeOff`.
    public static func workingMinutes(hours: [WorkingHours], timeOff: [TimeSpan], days: [CivilDate], zone: SiteTimeZone) -> Int {
        var total: Int64 = 0
        for day in days {
            for range in hours {
                guard let interval = range.interval(on: day, in: zone) else { continue }
                total += interval.durationMillis - covered(interval, by: timeOff)
            }
        }
        return Int(total / 60_000)
    }

    /// Milliseconds of `interval` inside the union of `spans`.
    static func covered(_ interval: TimeSpan, by spans: [TimeSpan]) -> Int64 {
        let clipped = spans.compactMap { span -> TimeSpan? in
            let start = max(span.start, interval.start), end = min(span.end, interval.end)
            return end > start ? TimeSpan(start: start, end: end) : nil
        }
        return merged(clipped).reduce(0) { $0 + $1.durationMillis }
    }

    /// Overlapping or touching spans joined into one.
    static func merged(_ spans: [TimeSpan]) -> [TimeSpan] {
        var result: [TimeSpan] = []
        for span in spans.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, span.start <= last.end {
                result[result.count - 1].end = max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }

    static func bookedMinutes(_ appointments: [ReportAppointment], where include: (ReportAppointment) -> Bool) -> Int {
        Int(appointments.filter { $0.status.holdsSlot && include($0) }.reduce(Int64(0)) { $0 + $1.span.durationMillis } / 60_000)
    }

    /// One row per practitioner, in the order given.
    public static func byPractitioner(_ availability: [ReportAvailability], appointments: [ReportAppointment],
                                      days: [CivilDate], zone: SiteTimeZone) -> [UtilizationRow] {
        availability.map { entry in
            let available = workingMinutes(hours: entry.hours, timeOff: entry.timeOff, days: days, zone: zone)
            let booked = bookedMinutes(appointments) { $0.practitioner == entry.practitioner }
            return UtilizationRow(name: entry.practitioner, bookedMinutes: booked, availableMinutes: available,
                                  ratio: ratio(Double(booked), Double(available)))
        }
    }

    /// Minutes the clinic is open on `days`: the union of every practitioner's working intervals.
    public static func openMinutes(_ availability: [ReportAvailability], days: [CivilDate], zone: SiteTimeZone) -> Int {
        var intervals: [TimeSpan] = []
        for day in days {
            for entry in availability {
                intervals += entry.hours.compactMap { $0.interval(on: day, in: zone) }
            }
        }
        return Int(merged(intervals).reduce(Int64(0)) { $0 + $1.durationMillis } / 60_000)
    }

    /// One row per room, in the order given, against the clinic's open hours.
    public static func byRoom(_ rooms: [String], availability: [ReportAvailability], appointments: [ReportAppointment],
                              days: [CivilDate], zone: SiteTimeZone) -> [UtilizationRow] {
        let open = openMinutes(availability, days: days, zone: zone)
        return rooms.map { room in
            let booked = bookedMinutes(appointments) { $0.room == room }
            return UtilizationRow(name: room, bookedMinutes: booked, availableMinutes: open, ratio: ratio(Double(booked), Double(open)))
        }
    }
}
