/// The pure rules a booking must pass; Storage gathers the data and runs them in one transaction.
public enum BookingRules {
    /// True when `span` lies inside one of the day's working ranges and touches no time off.
    public static func isWithinHours(_ span: TimeSpan, hours: [WorkingHours], timeOff: [TimeSpan], zone: SiteTimeZone) -> Bool {
        let date = zone.local(span.start).date
        let ranges = hours.compactMap { $0.interval(on: date, in: zone) }
        guard ranges.contains(where: { $0.contains(span) }) else { return false }
        return !timeOff.contains { $0.overlaps(span) }
    }

    /// Refuses with `outside-hours`, naming the practitioner and the local time.
    public static func requireWithinHours(_ span: TimeSpan, handle: String, hours: [WorkingHours], timeOff: [TimeSpan], zone: SiteTimeZone) throws {
        guard isWithinHours(span, hours: hours, timeOff: timeOff, zone: zone) else {
            let inTimeOff = timeOff.contains { $0.overlaps(span) }
            throw ClinicError(.outsideHours,
                                      "\(zone.format(span.start))–\(TimeOfDay.format(zone.local(span.end).minuteOfDay)) is "
                                      + (inTimeOff ? "in time off" : "outside working hours") + " of '\(handle)'"
                                      + (hours.isEmpty ? " (no hours set: use 'clinic staff hours')" : ""))
        }
    }

    /// True when a credential for `scope` is valid on `date`.
    public static func holds(_ scope: Scope, credentials: [Credential], on date: CivilDate) -> Bool {
        credentials.contains { $0.scope == scope && $0.isValid(on: date) }
    }

    /// Refuses with `not-qualified` when the practitioner lacks the scope on that day.
    public static func requireScope(_ scope: Scope?, handle: String, credentials: [Credential], on date: CivilDate) throws {
        guard let scope else { return }
        guard holds(scope, credentials: credentials, on: date) else {
            let expired = credentials.contains { $0.scope == scope }
            throw ClinicError(.notQualified,
                                      "'\(handle)' " + (expired ? "holds an expired \(scope.rawValue) credential" : "holds no \(scope.rawValue) credential")
                                      + " on \(date)")
        }
    }

    /// The message of a `slot-taken` refusal: which resource clashed and when.
    public static func describe(_ clash: Clash, name: String, zone: SiteTimeZone) -> String {
        let when = "\(zone.format(clash.existing.start))–\(TimeOfDay.format(zone.local(clash.existing.end).minuteOfDay))"
        switch clash.resource {
        case .practitioner: return "practitioner '\(name)' is already booked \(when)"
        case .room: return "room '\(name)' is already booked \(when)"
        case .patient: return "patient \(name) already has an appointment \(when)"
        }
    }
}

/// Finds free starts on a grid inside working hours, outside time off and bookings, with a free room.
public enum SlotSearch {
    /// One free start with the first room free for the whole appointment.
    public struct Slot: Sendable, Equatable {
        public var start: Int64
        public var roomIndex: Int
    }

    /// Free starts for one practitioner over `days`, in time order. `roomBusy[i]` lists room i's bookings.
    public static func freeStarts(durationMinutes: Int, gridMinutes: Int, days: [CivilDate], zone: SiteTimeZone,
                                  hours: [WorkingHours], timeOff: [TimeSpan], practitionerBusy: [TimeSpan],
                                  roomBusy: [[TimeSpan]], notBefore: Int64, qualifiedOn: (CivilDate) -> Bool,
                                  limit: Int) -> [Slot] {
        let duration = Int64(durationMinutes) * 60_000
        var found: [Slot] = []
        let busy = practitionerBusy.sorted { $0.start < $1.start }
        for day in days where qualifiedOn(day) {
            for range in hours where range.weekday == day.weekday {
                var minute = range.startMinute
                while minute + durationMinutes <= range.endMinute {
                    defer { minute += gridMinutes }
                    guard let start = zone.instant(LocalDateTime(date: day, minuteOfDay: minute)), start >= notBefore else { continue }
                    let span = TimeSpan(start: start, end: start + duration)
                    guard let window = hours.compactMap({ $0.interval(on: day, in: zone) }).first(where: { $0.contains(span) }),
                          window.contains(span),
                          !timeOff.contains(where: { $0.overlaps(span) }),
                          firstOverlap(of: span, in: busy) == nil,
                          let room = roomBusy.firstIndex(where: { firstOverlap(of: span, in: $0) == nil }) else { continue }
                    found.append(Slot(start: start, roomIndex: room))
                }
            }
            if found.count >= limit { break }
        }
        return Array(found.sorted { $0.start < $1.start }.prefix(limit))
    }
}
