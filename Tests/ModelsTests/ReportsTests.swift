import Models
import Testing

/// A week in UTC (Mon 2026-11-23 … Sun 2026-11-29), so hand arithmetic needs no offsets.
private let week = (0..<7).map { date("2026-11-23").adding(days: $0) }

private func span(_ start: String, _ end: String) -> TimeSpan {
    TimeSpan(start: millis(start), end: millis(end))
}

/// jdoe: Mon 08–16 (480 min) and Wed 08–12 (240) less Wed 10–11 off → 660 available.
/// mroy: Mon 12–18 → 360 available. The clinic is open Mon 08–18 (600) + Wed 08–12 (240) = 840.
private let availability = [
    ReportAvailability(practitioner: "jdoe", hours: [WorkingHours(weekday: 1, startMinute: 480, endMinute: 960),
                                                     WorkingHours(weekday: 3, startMinute: 480, endMinute: 720)],
                       timeOff: [span("2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z")]),
    ReportAvailability(practitioner: "mroy", hours: [WorkingHours(weekday: 1, startMinute: 720, endMinute: 1080)]),
]

private let appointments = [
    ReportAppointment(practitioner: "jdoe", room: "Bed 1", span: span("2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z"), status: .completed),
    ReportAppointment(practitioner: "jdoe", room: "Bed 1", span: span("2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"), status: .noShow),
    ReportAppointment(practitioner: "jdoe", room: "Bed 2", span: span("2026-11-25T08:00:00Z", "2026-11-25T08:45:00Z"), status: .booked),
    ReportAppointment(practitioner: "jdoe", room: "Bed 1", span: span("2026-11-23T13:00:00Z", "2026-11-23T13:30:00Z"), status: .cancelled, lateCancel: true),
    ReportAppointment(practitioner: "mroy", room: "Bed 2", span: span("2026-11-23T12:00:00Z", "2026-11-23T13:30:00Z"), status: .completed),
    ReportAppointment(practitioner: "mroy", room: "Bed 1", span: span("2026-11-23T14:00:00Z", "2026-11-23T14:30:00Z"), status: .cancelled),
]

/// Seven sessions of four patients: P1 acupuncture 7→4 then 5→4 (course 7→4: reaches the MCID),
/// P2 dry needling 6→5 then unscored (course 6→5: does not), P3 dry needling 8→5 (reaches),
/// P4 no needling 4→4, and P1 once mixed, unscored.
private let sessions = [
    ReportSession(patientID: "P1", start: 1, acupoints: 3, needlesInserted: 6, painBefore: 7, painAfter: 4),
    ReportSession(patientID: "P1", start: 2, acupoints: 2, needlesInserted: 4, painBefore: 5, painAfter: 4),
    ReportSession(patientID: "P2", start: 1, muscles: 2, needlesInserted: 3, painBefore: 6, painAfter: 5),
    ReportSession(patientID: "P2", start: 3, muscles: 1, needlesInserted: 2),
    ReportSession(patientID: "P3", start: 2, muscles: 1, needlesInserted: 1, painBefore: 8, painAfter: 5),
    ReportSession(patientID: "P4", start: 2, painBefore: 4, painAfter: 4),
    ReportSession(patientID: "P1", start: 4, acupoints: 1, muscles: 1, needlesInserted: 2),
]

@Suite("Report arithmetic on fixed data")
struct ReportsTests {
    @Test("utilization per practitioner: booked (not cancelled, no-shows included) / working hours less time off")
    func practitionerUtilization() throws {
        let rows = UtilizationReport.byPractitioner(availability, appointments: appointments, days: week, zone: try SiteTimeZone("UTC"))
        #expect(rows.map(\.name) == ["jdoe", "mroy"])
        #expect(rows.map(\.bookedMinutes) == [135, 90])
        #expect(rows.map(\.availableMinutes) == [660, 360])
        #expect(rows[0].ratio == 135.0 / 660.0)
        #expect(rows[1].ratio == 0.25)
    }

    @Test("utilization per room against the clinic's open hours (union of working hours)")
    func roomUtilization() throws {
        let rows = UtilizationReport.byRoom(["Bed 1", "Bed 2", "Gym"], availability: availability, appointments: appointments, days: week,
                                            zone: try SiteTimeZone("UTC"))
        #expect(rows.map(\.availableMinutes) == [840, 840, 840])
        #expect(rows.map(\.bookedMinutes) == [90, 135, 0])
        #expect(rows[2].ratio == 0)
    }

    @Test("no-show rate over appointments still due; late-cancel rate over all appointments")
    func attendance() {
        let rows = AttendanceReport.rows(appointments, practitioners: ["jdoe", "mroy"])
        #expect(rows.map(\.name) == ["jdoe", "mroy", "total"])
        #expect(rows[0] == AttendanceRow(name: "jdoe", appointments: 4, attended: 1, noShows: 1, cancelled: 1, lateCancels: 1,
                                         noShowRate: 1.0 / 3.0, lateCancelRate: 0.25))
        #expect(rows[1].noShowRate == 0 && rows[1].lateCancelRate == 0)
        #expect(rows[2].noShowRate == 0.25 && rows[2].lateCancelRate == 1.0 / 6.0)
    }

    @Test("modalities: sessions, share and needles per session")
    func modalities() {
        let rows = TreatmentReport.modalities(sessions)
        #expect(rows.map(\.modality) == [.dryNeedling, .acupuncture, .mixed, .other])
        #expect(rows.map(\.sessions) == [3, 2, 1, 1])
        #expect(rows.map(\.needles) == [6, 10, 2, 0])
        #expect(rows.map(\.needlesPerSession) == [2, 5, 2, 0])
        #expect(rows[0].share == 3.0 / 7.0)
    }

    @Test("outcomes: mean NPRS change per session and share of patients reaching the 2-point MCID")
    func outcomes() {
        let rows = TreatmentReport.outcomes(sessions)
        #expect(PainChange.minimalImportantDifference == 2)
        #expect(rows[0] == OutcomeRow(modality: .dryNeedling, scoredSessions: 2, meanChange: 2, patients: 2, patientsReachingMCID: 1, shareReachingMCID: 0.5))
        #expect(rows[1] == OutcomeRow(modality: .acupuncture, scoredSessions: 2, meanChange: 2, patients: 1, patientsReachingMCID: 1, shareReachingMCID: 1))
        #expect(rows[2] == OutcomeRow(modality: .mixed, scoredSessions: 0, meanChange: nil, patients: 0, patientsReachingMCID: 0, shareReachingMCID: nil))
        #expect(rows[3] == OutcomeRow(modality: .other, scoredSessions: 1, meanChange: 0, patients: 1, patientsReachingMCID: 0, shareReachingMCID: 0))
    }

    @Test("bars are drawn to the nearest eighth of a cell", arguments: [
        (0.5, 4, "██"), (0.3, 10, "███"), (0.33, 1, "▍"), (1.0, 3, "███"), (0.0, 5, ""), (0.0625, 2, "▏"), (2.0, 2, "██"), (0.9, 1, "▉"), (0.75, 1, "▊"),
    ])
    func bars(fraction: Double, width: Int, expected: String) {
        #expect(BarChart.bar(fraction: fraction, width: width) == expected)
    }

    @Test("a chart scales bars to the largest value and aligns labels")
    func chart() {
        let text = BarChart.render([("jdoe", 2, "2"), ("mroy", 1, "1")], width: 4)
        #expect(text == "jdoe │████ 2\nmroy │██   1")
        #expect(BarChart.percent(1.0 / 3.0) == "33.3%" && BarChart.percent(nil) == "—")
    }
}
