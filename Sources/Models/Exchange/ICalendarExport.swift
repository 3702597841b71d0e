/// An appointment as a calendar sees it: times, chart number and service, never clinical content
/// or a patient's name (calendars are synced to phones and shared with assistants).
public struct CalendarAppointment: Sendable, Equatable {
    public var id: String
    public var seriesID: String?
    /// The start the series rule gave this occurrence; a move leaves it unchanged.
    public var originalStart: Int64
    public var span: TimeSpan
    public var status: AppointmentStatus
    /// Raised on every change (move, cancel, status), so clients replace their copy.
    public var sequence: Int
    public var updatedAt: Int64
    public var patientChart: String
    public var serviceSlug: String
    public var serviceName: String
    public var roomName: String
    public var practitionerHandle: String
    /// True when the export's filter (practitioner or room) selects this appointment; series
    /// members outside it are still passed in so the series keeps its shape.
    public var selected: Bool
    /// The zone and name of the appointment's site (its room's); nil means the calendar's own.
    public var zone: SiteTimeZone?
    public var siteName: String?

    public init(id: String, seriesID: String?, originalStart: Int64, span: TimeSpan, status: AppointmentStatus, sequence: Int,
                updatedAt: Int64, patientChart: String, serviceSlug: String, serviceName: String, roomName: String,
                practitionerHandle: String, selected: Bool, zone: SiteTimeZone? = nil, siteName: String? = nil) {
        self.id = id
        self.seriesID = seriesID
        self.originalStart = originalStart
        self.span = span
        self.status = status
        self.sequence = sequence
        self.updatedAt = updatedAt
        self.patientChart = patientChart
        self.serviceSlug = serviceSlug
        self.serviceName = serviceName
        self.roomName = roomName
        self.practitionerHandle = practitionerHandle
        self.selected = selected
        self.zone = zone
        self.siteName = siteName
    }
}

/// The repeat rule of a stored series, recovered from its occurrences' original starts.
public struct SeriesPattern: Sendable, Equatable {
    public var first: LocalDateTime
    public var stepDays: Int
    public var count: Int

    /// `FREQ=WEEKLY;INTERVAL=2;COUNT=6`.
    public var rrule: String {
        if stepDays % 7 == 0 {
            return "FREQ=WEEKLY" + (stepDays == 7 ? "" : ";INTERVAL=\(stepDays / 7)") + ";COUNT=\(count)"
        }
        return "FREQ=DAILY" + (stepDays == 1 ? "" : ";INTERVAL=\(stepDays)") + ";COUNT=\(count)"
    }

    /// The pattern when the local starts are one wall-clock time at a fixed day step, else nil.
    public static func infer(_ starts: [LocalDateTime]) -> SeriesPattern? {
        let sorted = starts.sorted()
        guard let first = sorted.first, sorted.count >= 2 else { return nil }
        let step = sorted[1].date.daysSinceEpoch - first.date.daysSinceEpoch
        guard step > 0 else { return nil }
        for (index, start) in sorted.enumerated() {
            guard start.minuteOfDay == first.minuteOfDay, start.second == first.second,
                  start.date.daysSinceEpoch == first.date.daysSinceEpoch + index * step else { return nil }
        }
        return SeriesPattern(first: first, stepDays: step, count: sorted.count)
    }
}

/// Writes an RFC 5545 calendar of appointments, each in the zone of its own site, so a practitioner
/// working at sites in two zones reads the right local time for each; one VTIMEZONE per zone used.
///
/// A recurring series becomes one VEVENT with an RRULE; its cancelled occurrences and those the
/// filter does not select become EXDATEs, and an occurrence moved (time, length or room) becomes
/// a RECURRENCE-ID override of the series' UID. A series whose rule cannot be recovered is
/// written as single events. Single appointments use their own id as UID.
public struct ICalendarExport {
    /// The calendar's own zone (X-WR-TIMEZONE) and site, for appointments that name none.
    public var zone: SiteTimeZone
    public var siteName: String
    public var calendarName: String

    public init(zone: SiteTimeZone, siteName: String, calendarName: String) {
        self.zone = zone
        self.siteName = siteName
        self.calendarName = calendarName
    }

    /// The whole file, folded, with CRLF line ends.
    public func render(_ appointments: [CalendarAppointment]) -> String {
        var events: [[String]] = []
        var singles: [CalendarAppointment] = []
        var series: [String: [CalendarAppointment]] = [:]
        for appointment in appointments {
            if let seriesID = appointment.seriesID { series[seriesID, default: []].append(appointment) } else if appointment.selected {
                singles.append(appointment)
            }
        }
        for seriesID in series.keys.sorted() {
            guard let members = series[seriesID], members.contains(where: \.selected) else { continue }
            if let lines = seriesEvent(seriesID, members) {
                events += lines
            } else {
                singles += members.filter(\.selected)
            }
        }
        for single in singles.sorted(by: { ($0.span.start, $0.id) < ($1.span.start, $1.id) }) {
            events.append(event(uid: single.id, for: single, sequence: single.sequence, status: single.status))
        }
        // Each zone must cover every instant written in it, including a series' first slot when it is someone
        // else's: an appointment's own times are in its site's zone, a series' original slots in its master's.
        let exportedSeries = Set(appointments.filter(\.selected).compactMap(\.seriesID))
        var instants: [String: (low: Int64, high: Int64)] = [:]
        func cover(_ zone: SiteTimeZone, _ times: Int64...) {
            let known = instants[zone.identifier]
            instants[zone.identifier] = (min(known?.low ?? .max, times.min() ?? .max), max(known?.high ?? .min, times.max() ?? .min))
        }
        let seriesZones = series.mapValues(seriesZone)
        for appointment in appointments where appointment.selected || appointment.seriesID.map(exportedSeries.contains) == true {
            cover(zone(of: appointment), appointment.span.start, appointment.span.end)
            cover(appointment.seriesID.flatMap { seriesZones[$0] } ?? zone(of: appointment), appointment.originalStart)
        }
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//clinic//clinic export ics//EN", "CALSCALE:GREGORIAN",
                     "X-WR-CALNAME:" + ICalendarText.escape(calendarName), "X-WR-TIMEZONE:" + zone.identifier]
        let calendarZoneFirst = { (identifier: String) in (identifier == zone.identifier ? 0 : 1, identifier) }
        for (identifier, covered) in instants.sorted(by: { calendarZoneFirst($0.key) < calendarZoneFirst($1.key) }) {
            lines += ICalendarTimeZone.lines(identifier: identifier, from: covered.low, to: covered.high)
        }
        lines += events.flatMap { $0 }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendarText.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// The zone an appointment's times are written in: its site's.
    func zone(of appointment: CalendarAppointment) -> SiteTimeZone { appointment.zone ?? zone }

    /// The zone of a series' rule, its exceptions and its overrides' RECURRENCE-ID: its first slot's site's.
    func seriesZone(_ members: [CalendarAppointment]) -> SiteTimeZone {
        members.min { ($0.originalStart, $0.id) < ($1.originalStart, $1.id) }.map(zone(of:)) ?? zone
    }

    /// The master VEVENT and its overrides, or nil when the series has no recoverable rule.
    func seriesEvent(_ seriesID: String, _ members: [CalendarAppointment]) -> [[String]]? {
        let ordered = members.sorted { ($0.originalStart, $0.id) < ($1.originalStart, $1.id) }
        let zone = seriesZone(members)
        guard let pattern = SeriesPattern.infer(ordered.map { zone.local($0.originalStart) }), let first = ordered.first else { return nil }
        let duration = first.span.durationMillis
        let room = mostCommon(ordered.map(\.roomName)) ?? first.roomName
        var exdates: [LocalDateTime] = []
        var overrides: [[String]] = []
        var kept = 0
        for member in ordered {
            let original = zone.local(member.originalStart)
            guard member.selected, member.status != .cancelled else {
                if !(member.selected && ordered.filter(\.selected).allSatisfy { $0.status == .cancelled }) {
                    exdates.append(original)
                }
                continue
            }
            kept += 1
            if member.span.start != member.originalStart || member.span.durationMillis != duration || member.roomName != room {
                var lines = event(uid: seriesID, for: member, sequence: member.sequence, status: member.status)
                lines.insert("RECURRENCE-ID;TZID=\(zone.identifier):" + ICalendarText.local(original), at: 2)
                overrides.append(lines)
            }
        }
        let allCancelled = kept == 0
        var master = first
        master.span = TimeSpan(start: first.originalStart, end: first.originalStart + duration)
        master.roomName = room
        master.updatedAt = ordered.map(\.updatedAt).max() ?? first.updatedAt
        var lines = event(uid: seriesID, for: master, sequence: ordered.reduce(0) { $0 + $1.sequence },
                          status: allCancelled ? .cancelled : .booked)
        lines.insert("RRULE:" + pattern.rrule, at: lines.count - 1)
        for exdate in exdates {
            lines.insert("EXDATE;TZID=\(zone.identifier):" + ICalendarText.local(exdate), at: lines.count - 1)
        }
        return [lines] + overrides
    }

    /// One VEVENT: UID, times in the zone of the appointment's site, chart number and service only.
    func event(uid: String, for appointment: CalendarAppointment, sequence: Int, status: AppointmentStatus) -> [String] {
        let zone = zone(of: appointment)
        return [
            "BEGIN:VEVENT",
            "UID:" + uid,
            "DTSTAMP:" + ICalendarText.utc(appointment.updatedAt),
            "LAST-MODIFIED:" + ICalendarText.utc(appointment.updatedAt),
            "SEQUENCE:\(sequence)",
            "DTSTART;TZID=\(zone.identifier):" + ICalendarText.local(zone.local(appointment.span.start)),
            "DTEND;TZID=\(zone.identifier):" + ICalendarText.local(zone.local(appointment.span.end)),
            "SUMMARY:" + ICalendarText.escape("\(appointment.patientChart) · \(appointment.serviceName) (\(appointment.serviceSlug))"),
            "LOCATION:" + ICalendarText.escape("\(appointment.roomName), \(appointment.siteName ?? siteName)"),
            "DESCRIPTION:" + ICalendarText.escape("Chart \(appointment.patientChart) with \(appointment.practitionerHandle)"),
            "STATUS:" + (status == .cancelled ? "CANCELLED" : "CONFIRMED"),
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    }

    func mostCommon(_ names: [String]) -> String? {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }
}
