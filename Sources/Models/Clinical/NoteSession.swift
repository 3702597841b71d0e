/// The session a note is written and signed for: its appointment as it stands now, not as it stood
/// when the draft was started. Appointments move; a note checked against its old date or written by
/// its old practitioner would sign for a session that never took place.
public struct NoteSession: Sendable, Equatable {
    /// The appointment's current practitioner: the only one who may write or sign its note.
    public var practitionerID: String
    /// The appointment's current start (UTC milliseconds): a note is not signed before it.
    public var start: Int64
    /// The start's date in the site's zone: consent and credentials must be valid on it.
    public var date: CivilDate

    public init(practitionerID: String, start: Int64, date: CivilDate) {
        self.practitionerID = practitionerID
        self.start = start
        self.date = date
    }

    /// The session of an appointment as it now stands, dated in the site's zone.
    public init(appointment: Appointment, zone: SiteTimeZone) {
        self.init(practitionerID: appointment.practitionerID, start: appointment.span.start, date: zone.local(appointment.span.start).date)
    }

    /// A change to an appointment that a signed note forbids.
    public enum Change: Sendable {
        case cancel, move
    }

    /// A signed note records a session on that date with that practitioner, so its appointment is
    /// neither cancelled nor moved afterwards (`note-signed`). A draft does not pin its appointment:
    /// it follows it (see `draftFollows`).
    public static func requireChangeable(noteStatuses: [NoteStatus], _ change: Change) throws {
        guard !noteStatuses.contains(.signed) else {
            let verb = change == .cancel ? "cancelled" : "moved"
            throw ClinicError(.noteSigned, "this appointment's session note is signed, so the appointment cannot be \(verb); "
                                      + "record what happened with 'note amend'")
        }
    }

    /// A draft keeps the date and practitioner of its appointment, so a move carries it along (the
    /// new practitioner writes and signs it, on the new date); a signed note never changes. True when
    /// a note stored with `author` and `date` (nil when unreadable) must take this session's.
    public func draftFollows(status: NoteStatus, author: String, date: CivilDate?) -> Bool {
        status == .draft && (author != practitionerID || date != self.date)
    }
}
