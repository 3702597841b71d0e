/// Two appointments that hold one practitioner, room or patient at once. The booking rules refuse this
/// at any one site; it still happens when two sites book offline, and both bookings stay until a person
/// resolves the conflict, so every view of the schedule must show both.
public struct DoubleBooking: Sendable, Equatable {
    /// The appointment that starts first (on equal starts, the smaller id).
    public var first: String
    public var second: String
    /// What they share, practitioner first, then room, then patient.
    public var resource: ClashResource

    public init(first: String, second: String, resource: ClashResource) {
        self.first = first
        self.second = second
        self.resource = resource
    }

    /// Every pair of `appointments` that overlap in time (half-open: back to back is fine) while sharing
    /// a practitioner, a room or a patient; a cancelled appointment holds nothing. In start order.
    public static func find(in appointments: [Appointment]) -> [DoubleBooking] {
        let live = appointments.filter { $0.status.holdsSlot }
            .sorted { ($0.span.start, $0.id) < ($1.span.start, $1.id) }
        var running: [Appointment] = []
        var found: [DoubleBooking] = []
        for next in live {
            running.removeAll { $0.span.end <= next.span.start }
            for earlier in running where earlier.span.overlaps(next.span) {
                if let resource = shared(earlier, next) {
                    found.append(DoubleBooking(first: earlier.id, second: next.id, resource: resource))
                }
            }
            running.append(next)
        }
        return found
    }

    /// The ids of `appointments` that are part of a double booking.
    public static func overlapping(_ appointments: [Appointment]) -> Set<String> {
        Set(find(in: appointments).flatMap { [$0.first, $0.second] })
    }

    static func shared(_ a: Appointment, _ b: Appointment) -> ClashResource? {
        if a.practitionerID == b.practitionerID { return .practitioner }
        if a.roomID == b.roomID { return .room }
        if a.patientID == b.patientID { return .patient }
        return nil
    }
}
