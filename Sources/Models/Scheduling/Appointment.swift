/// Where an appointment is in its day: booked → checked-in → completed, or cancelled / no-show.
public enum AppointmentStatus: String, Sendable, Codable, CaseIterable {
    case booked
    case checkedIn = "checked-in"
    case completed
    case cancelled
    case noShow = "no-show"

    /// Whether the appointment still holds its practitioner, room and patient.
    public var holdsSlot: Bool { self != .cancelled }

    /// The statuses reachable from this one. Completed, cancelled and no-show are final.
    public var allowedNext: Set<AppointmentStatus> {
        switch self {
        case .booked: return [.checkedIn, .completed, .cancelled, .noShow]
        case .checkedIn: return [.completed, .cancelled]
        case .completed, .cancelled, .noShow: return []
        }
    }

    /// Refuses an illegal move (complete a cancelled appointment…) with `invalid-transition`.
    public func transition(to next: AppointmentStatus) throws -> AppointmentStatus {
        guard allowedNext.contains(next) else {
            throw ClinicError(.invalidTransition, "an appointment that is \(rawValue) cannot become \(next.rawValue)")
        }
        return next
    }

    /// Refuses an arrival or a no-show recorded before the appointment's own day (`too-early`):
    /// nobody can arrive, or fail to, for a visit days ahead. Both dates are in the site's zone.
    public static func requireDayReached(for next: AppointmentStatus, appointmentDate: CivilDate, today: CivilDate) throws {
        guard next == .checkedIn || next == .noShow, today < appointmentDate else { return }
        throw ClinicError(.tooEarly, "this appointment is on \(appointmentDate.description), a later day; it cannot be marked \(next.rawValue) before its day")
    }
}

/// A booked slot: who, with whom, where, what and when (UTC milliseconds).
public struct Appointment: Sendable, Equatable {
    public var id: String
    public var patientID: String
    public var practitionerID: String
    public var roomID: String
    public var serviceID: String
    public var span: TimeSpan
    public var status: AppointmentStatus
    public var lateCancel: Bool
    public var cancelReason: String?
    public var seriesID: String?

    public init(id: String, patientID: String, practitionerID: String, roomID: String, serviceID: String, span: TimeSpan,
                status: AppointmentStatus, lateCancel: Bool = false, cancelReason: String? = nil, seriesID: String? = nil) {
        self.id = id
        self.patientID = patientID
        self.practitionerID = practitionerID
        self.roomID = roomID
        self.serviceID = serviceID
        self.span = span
        self.status = status
        self.lateCancel = lateCancel
        self.cancelReason = cancelReason
        self.seriesID = seriesID
    }
}

/// Cancellation rules.
public enum CancellationPolicy {
    /// Less notice than this makes a cancellation late.
    public static let lateNoticeMillis: Int64 = 24 * 3_600_000

    /// A cancel made less than 24 h before the start (or after it) is flagged late.
    public static func isLate(start: Int64, cancelledAt now: Int64) -> Bool {
        start - now < lateNoticeMillis
    }
}
