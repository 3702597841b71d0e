import Foundation
import Models
import Storage
import Testing
@testable import Sync

/// An update that points a row at another row not yet applied (it comes later in the file, or in a
/// later file) waits for it; it neither fails the import nor is lost.
@Suite("Updates that reference rows arriving later")
struct LateReferenceTests {
    static let day = CivilDate(year: 2026, month: 12, day: 1) ?? CivilDate(daysSinceEpoch: 0)

    @Test("a booking moved into a room created at a third site reaches a site that merges the move first", arguments: [1, Importer.defaultMergeEvery])
    func moveIntoRelayedRoom(mergeEvery: Int) throws {
        // MTL books; QC adds a room; MTL moves the booking into it; LAV gets both from MTL, where the
        // move (origin MTL) is written before the room (origin QC).
        let network = try Network(siteCount: 3)
        network.mergeEvery = mergeEvery
        let zone = try SiteTimeZone("America/Toronto")
        let start = try #require(zone.instant(LocalDateTime(date: Self.day, minuteOfDay: 10 * 60)))
        let chart = try #require(try network.sites[0].first("SELECT chart FROM patient ORDER BY rowid LIMIT 1")?.string(0))
        network.tick()
        let booked = try Scheduler(network.sites[0]).book(.init(patientChart: chart, practitionerHandle: "jdoe", serviceSlug: "physio-30",
                                                                 start: start, roomName: "Bed 1"), now: network.now)
        let id = try #require(booked.first?.appointment.id)
        try network.exchange(from: 0, to: 2)
        network.tick()
        // QC's admin adds a room at MTL (rooms belong to a site; any site may add one for another).
        let montreal = try SiteRepository(network.sites[0]).local().code
        _ = try network.sites[1].write { db in
            try RoomRepository(db).add(name: "Gym", kind: .gym, site: try SiteRepository(db).require(code: montreal), now: network.now)
        }
        try network.exchange(from: 1, to: 0)
        network.tick()
        _ = try Scheduler(network.sites[0]).reschedule(id, start: start, practitionerHandle: nil, roomName: "Gym", now: network.now)
        let summary = try network.exchange(from: 0, to: 2)
        #expect(summary.pending == 0)
        let room = try network.sites[2].first("SELECT r.name FROM appointment a JOIN room r ON r.id = a.room_id WHERE a.id = ?", [id])?.string(0)
        #expect(room == "Gym")
        for _ in 0..<2 {
            for index in 1..<3 {
                try network.exchange(from: 0, to: index)
                try network.exchange(from: index, to: 0)
            }
        }
        let digests = try network.sites.map { try Digest.compute($0) }
        #expect(Set(digests).count == 1, "\(digests)")
    }
}
