import Foundation
import Models
import Testing
@testable import Storage

/// `book` answers with the appointments it wrote without reading them back: what it answers must be
/// exactly what is stored.
@Suite("What a booking answers")
struct BookingRecordTests {
    @Test("a booking answers what is stored, for a chosen room, a free room and every occurrence of a series",
          arguments: [(room: "Bed 2", repeats: 1), (room: "", repeats: 1), (room: "", repeats: 3)])
    func answersWhatIsStored(room: String, repeats: Int) throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        try db.write { db in
            try StaffRepository(db).add(handle: "jdoe", name: "Jane Doe", discipline: .physiotherapy, roles: [.clinician], now: testNow)
            for weekday in 1...7 {
                try AvailabilityRepository(db).addHours(handle: "jdoe", hours: WorkingHours(weekday: weekday, startMinute: 8 * 60, endMinute: 18 * 60), now: testNow)
            }
            for name in ["Bed 1", "Bed 2"] { try RoomRepository(db).add(name: name, kind: .bed, now: testNow) }
            try ServiceRepository(db).add(slug: "physio-30", name: "Physio", durationMinutes: 30, discipline: .physiotherapy, requires: nil, now: testNow)
            try PatientRepository(db).add(.init(first: "Ana", last: "Silva", dateOfBirth: CivilDate(year: 1980, month: 4, day: 2) ?? testToday),
                                          now: testNow, today: testToday)
        }
        let zone = try SiteTimeZone("America/Toronto")
        let start = try #require(zone.instant(LocalDateTime(date: testToday.adding(days: 7), minuteOfDay: 9 * 60)))
        let recurrence: Recurrence? = repeats > 1 ? Recurrence(rule: .weekly, end: .count(repeats)) : nil
        let answered = try Scheduler(db).book(.init(patientChart: "MTL-000001", practitionerHandle: "jdoe", serviceSlug: "physio-30", start: start,
                                                    roomName: room.isEmpty ? nil : room, durationMinutes: 45, recurrence: recurrence),
                                              now: testNow)
        #expect(answered.count == repeats)
        for record in answered {
            #expect(try Scheduler(db).record(id: record.id) == record)
        }
        #expect(answered.first?.roomName == (room.isEmpty ? "Bed 1" : room))
        #expect(answered.first?.appointment.span.durationMillis == Int64(45 * 60_000))
    }
}
