import Models
import Testing

@Suite("Another site's times, labelled")
struct SiteLabelTests {
    static let toronto = try! SiteTimeZone("America/Toronto")
    static let vancouver = try! SiteTimeZone("America/Vancouver")

    @Test("a time reads bare at its own site, with the site's code at a site in the same zone, and with the zone's abbreviation too elsewhere",
          arguments: [
        ("America/Toronto", "2026-12-01T15:00:00Z", "MTL", true, "America/Toronto", "2026-12-01 10:00"),
        ("America/Toronto", "2026-12-01T15:00:00Z", "QC", false, "America/Toronto", "2026-12-01 10:00 (QC)"),
        ("America/Toronto", "2026-12-01T15:00:00Z", "MTL", false, "America/Vancouver", "2026-12-01 10:00 EST (MTL)"),
        ("America/Toronto", "2026-07-01T14:00:00Z", "MTL", false, "America/Vancouver", "2026-07-01 10:00 EDT (MTL)"),
        ("America/Vancouver", "2026-12-01T17:00:00Z", "VAN", false, "America/Toronto", "2026-12-01 09:00 PST (VAN)"),
    ])
    func label(zone: String, instant: String, code: String, isLocal: Bool, here: String, expected: String) throws {
        let site = try SiteTimeZone(zone)
        #expect(site.label(millis(instant), site: code, isLocal: isLocal, here: try SiteTimeZone(here)) == expected)
    }

    @Test("the mark alone follows a time of day the same way")
    func mark() {
        let ten = millis("2026-12-01T15:00:00Z")
        #expect(Self.toronto.siteMark(ten, site: "MTL", isLocal: true, here: Self.vancouver) == "")
        #expect(Self.toronto.siteMark(ten, site: "MTL", isLocal: false, here: Self.vancouver) == " EST (MTL)")
        #expect(Self.toronto.siteMark(ten, site: "QC", isLocal: false, here: Self.toronto) == " (QC)")
    }
}

@Suite("Double bookings left by offline sites")
struct DoubleBookingTests {
    /// An appointment from minute `start` to `end` of some day.
    static func booking(_ id: String, _ start: Int, _ end: Int, practitioner: String = "p1", room: String? = nil, patient: String? = nil,
                        status: AppointmentStatus = .booked) -> Appointment {
        Appointment(id: id, patientID: patient ?? "patient-\(id)", practitionerID: practitioner, roomID: room ?? "room-\(id)", serviceID: "s",
                    span: TimeSpan(start: Int64(start) * 60_000, end: Int64(end) * 60_000), status: status)
    }

    @Test("one practitioner booked twice at once is one pair, whatever the input order")
    func practitioner() {
        let a = Self.booking("a", 600, 630), b = Self.booking("b", 600, 630)
        #expect(DoubleBooking.find(in: [b, a]) == [DoubleBooking(first: "a", second: "b", resource: .practitioner)])
        #expect(DoubleBooking.overlapping([a, b]) == ["a", "b"])
    }

    @Test("a room or a patient shared at once counts; back to back, cancelled or nothing shared does not")
    func resources() {
        let room = [Self.booking("a", 600, 630, practitioner: "p1", room: "r"), Self.booking("b", 615, 645, practitioner: "p2", room: "r")]
        #expect(DoubleBooking.find(in: room).map(\.resource) == [.room])
        let patient = [Self.booking("a", 600, 630, practitioner: "p1", patient: "x"), Self.booking("b", 620, 650, practitioner: "p2", patient: "x")]
        #expect(DoubleBooking.find(in: patient).map(\.resource) == [.patient])
        #expect(DoubleBooking.find(in: [Self.booking("a", 600, 630), Self.booking("b", 630, 660)]).isEmpty)
        #expect(DoubleBooking.find(in: [Self.booking("a", 600, 630), Self.booking("b", 600, 630, status: .cancelled)]).isEmpty)
        #expect(DoubleBooking.find(in: [Self.booking("a", 600, 630), Self.booking("b", 600, 630, practitioner: "p2")]).isEmpty)
    }

    @Test("a long booking overlapping two later ones pairs with each; the later two, back to back, do not pair")
    func chain() {
        let long = Self.booking("a", 540, 660), early = Self.booking("b", 550, 600), late = Self.booking("c", 600, 640)
        #expect(DoubleBooking.find(in: [late, long, early]).map { [$0.first, $0.second] } == [["a", "b"], ["a", "c"]])
        #expect(DoubleBooking.overlapping([late, long, early, Self.booking("d", 700, 730)]) == ["a", "b", "c"])
    }
}
