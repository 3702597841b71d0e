import Foundation
import Models
import Storage
import Testing
@testable import Sync

/// Import inserts a row straight from its run of consecutive changes when nothing stored here names
/// the row (`Merger.applyNew`). These cases must still take the general merge, or give what it gives.
@Suite("New rows inserted from their run of changes")
struct NewRowRunTests {
    static let now: Int64 = 1_795_392_000_000 + 13 * 3_600_000

    /// A site with one clinician, one room, one service and one patient, all made here.
    struct Site {
        let db: Database
        let folder: URL
        let staff: String
        let room: String
        let service: String
        let patient: String
        let siteID: String
    }

    func site() throws -> Site {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = try Database(path: folder.appendingPathComponent("MTL.sqlite").path)
        try db.execute("PRAGMA synchronous = OFF")
        db.clock = ClinicClock(fixed: Instant.date(Self.now))
        try db.write { db in
            _ = try SiteRepository(db).createLocal(code: "MTL", name: "Site MTL", timeZone: "America/Toronto", now: Self.now)
            try StaffRepository(db).add(handle: "jdoe", name: "Clinician", discipline: .physiotherapy, roles: [.clinician], now: Self.now)
            for weekday in 1...7 {
                try AvailabilityRepository(db).addHours(handle: "jdoe", hours: WorkingHours(weekday: weekday, startMinute: 8 * 60, endMinute: 18 * 60), now: Self.now)
            }
            try RoomRepository(db).add(name: "Bed 1", kind: .bed, now: Self.now)
            try ServiceRepository(db).add(slug: "physio-30", name: "Physio", durationMinutes: 30, discipline: .physiotherapy, requires: nil, now: Self.now)
            try PatientRepository(db).add(.init(first: "Ada", last: "Patient", dateOfBirth: CivilDate(year: 1980, month: 1, day: 1) ?? CivilDate(daysSinceEpoch: 0)),
                                          now: Self.now, today: CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0))
        }
        func id(_ sql: String) throws -> String { try db.first(sql)?.string(0) ?? "" }
        return Site(db: db, folder: folder, staff: try id("SELECT id FROM staff WHERE handle = 'jdoe'"), room: try id("SELECT id FROM room"),
                    service: try id("SELECT id FROM service"), patient: try id("SELECT id FROM patient"), siteID: try id("SELECT id FROM site"))
    }

    /// Stores `changes` (from site QC) in one batch and merges them, as an import does.
    @discardableResult
    /// With `setAside`, the bulk tables' indexes are set aside as for a large file (`SetAsideIndexes`).
    func receive(_ db: Database, _ changes: [Change], mergeEvery: Int = Importer.defaultMergeEvery, setAside: Bool = false,
                 waitingLimit: Int = ChangeBatch.defaultWaitingLimit) throws -> Importer.Summary {
        try db.write { db in
            try ChangeCapture.setApplying(db, true)
            var batch = try ChangeBatch(db: db, from: "QC", now: Self.now, mergeEvery: mergeEvery)
            batch.waitingLimit = waitingLimit
            if setAside {
                try batch.setAsideIndexes(incoming: changes.count, minimum: 0)
                #expect(batch.setAside.isActive)
                #expect(try Self.bulkIndexes(db).isEmpty, "set aside while the file is applied")
            }
            for (line, change) in changes.enumerated() { try batch.receive(change, claimedID: change.id, line: line + 2) }
            let summary = try batch.finish(header: nil)
            try ChangeCapture.setApplying(db, false)
            return summary
        }
    }

    func change(_ table: String, _ row: String, _ group: String, _ values: [String: JSONValue], at stamp: Int64) -> Change {
        Change(origin: "QC", hlc: HLC(rawValue: (Self.now - 60_000) << 16 | stamp), table: table, rowID: row, group: group, values: values, previous: nil)
    }

    func appointment(_ id: String, start: Int64, on site: Site, patient: String? = nil, at stamp: Int64) -> [Change] {
        [change("appointment", id, "booking", ["patient_id": .string(patient ?? site.patient), "service_id": .string(site.service), "series_id": .null,
                                               "created_at": .integer(Self.now)], at: stamp),
         change("appointment", id, "slot", ["start_ms": .integer(start), "end_ms": .integer(start + 1_800_000), "staff_id": .string(site.staff),
                                            "room_id": .string(site.room)], at: stamp),
         change("appointment", id, "status", ["status": .string("booked"), "late_cancel": .integer(0), "cancel_reason": .null], at: stamp)]
    }

    @Test("a row deleted here stays deleted when a whole older copy of it arrives from elsewhere")
    func deletedStaysDeleted() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let hours: [String: JSONValue] = ["staff_id": .string(site.staff), "weekday": .integer(2), "start_min": .integer(480), "end_min": .integer(1_080),
                                          "created_at": .integer(Self.now)]
        // Created and deleted in one run: the deletion wins.
        try receive(site.db, [change("working_hours", "wh-1", "details", hours, at: 1), change("working_hours", "wh-1", "_deleted", [:], at: 2)])
        #expect(try site.db.first("SELECT COUNT(*) FROM working_hours WHERE id = 'wh-1'")?.int(0) == 0)
        // Every group of the row again, but older: the row's stored changes send it through the general merge.
        var older = change("working_hours", "wh-1", "details", hours, at: 1)
        older = Change(origin: "LAV", hlc: older.hlc, table: older.table, rowID: older.rowID, group: older.group, values: older.values, previous: nil)
        let summary = try receive(site.db, [older])
        #expect(summary.applied == 1)
        #expect(try site.db.first("SELECT COUNT(*) FROM working_hours WHERE id = 'wh-1'")?.int(0) == 0)
    }

    @Test("every group of a row that is already here updates it instead of inserting it again")
    func wholeRowAgainUpdates() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let later = Self.now + 1
        let changes = [
            Change(origin: "QC", hlc: HLC(rawValue: later << 16), table: "patient", rowID: site.patient, group: "identity",
                   values: ["site_id": .string(site.siteID), "chart": .string("QC-000042"), "chart_seq": .integer(42), "created_at": .integer(Self.now)], previous: nil),
            Change(origin: "QC", hlc: HLC(rawValue: later << 16), table: "patient", rowID: site.patient, group: "details",
                   values: ["first": .string("Ada"), "last": .string("Lovelace"), "dob": .string("1980-01-01"), "phone": .null, "email": .null,
                            "search": .string("ada lovelace")], previous: nil),
        ]
        try receive(site.db, changes)
        let row = try #require(try site.db.first("SELECT chart, last, (SELECT COUNT(*) FROM patient) FROM patient WHERE id = ?", [site.patient]))
        #expect(row.string(0) == "QC-000042")
        #expect(row.string(1) == "Lovelace")
        #expect(row.int(2) == 1)
    }

    @Test("a booking whose patient comes later in the same file waits for it, then applies", arguments: [1, 2, Importer.defaultMergeEvery])
    func childBeforeParent(mergeEvery: Int) throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let start = Self.now + 86_400_000
        let patient = [
            change("patient", "p-late", "identity", ["site_id": .string(site.siteID), "chart": .string("QC-000777"), "chart_seq": .integer(777),
                                                     "created_at": .integer(Self.now)], at: 5),
            change("patient", "p-late", "details", ["first": .string("Late"), "last": .string("Comer"), "dob": .string("1990-05-05"), "phone": .null,
                                                    "email": .null, "search": .string("late comer")], at: 5),
        ]
        let summary = try receive(site.db, appointment("a-early", start: start, on: site, patient: "p-late", at: 1) + patient, mergeEvery: mergeEvery)
        #expect(summary.pending == 0)
        #expect(try site.db.first("SELECT patient_id FROM appointment WHERE id = 'a-early'")?.string(0) == "p-late")
    }

    /// A new row's references are checked by SQLite's foreign keys alone when it is inserted from its
    /// run; the failed insert must leave nothing behind and hand the row to the general merge.
    @Test("a new booking whose patient never arrives waits as pending, and nothing of it is written")
    func childWithoutParent() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let summary = try receive(site.db, appointment("a-orphan", start: Self.now + 86_400_000, on: site, patient: "p-missing", at: 1))
        #expect(summary.pending == 1)
        #expect(summary.applied == 3)
        #expect(try site.db.first("SELECT COUNT(*) FROM appointment WHERE id = 'a-orphan'")?.int(0) == 0)
        #expect(try site.db.query("SELECT tbl, row_id FROM pending_row").map { [$0.string(0), $0.string(1)] } == [["appointment", "a-orphan"]])
        #expect(try site.db.first("SELECT COUNT(*) FROM change WHERE row_id = 'a-orphan'")?.int(0) == 3)
    }

    @Test("a new booking that overlaps one made here is listed as a double booking, whatever the chunk size, indexes set aside or not",
          arguments: [1, 3, Importer.defaultMergeEvery], [false, true])
    func doubleBookingAcrossChunks(mergeEvery: Int, setAside: Bool) throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let zone = try SiteTimeZone("America/Toronto")
        let start = try #require(zone.instant(LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 1) ?? CivilDate(daysSinceEpoch: 0), minuteOfDay: 10 * 60)))
        let chart = try #require(try site.db.first("SELECT chart FROM patient")?.string(0))
        let local = try Scheduler(site.db).book(.init(patientChart: chart, practitionerHandle: "jdoe", serviceSlug: "physio-30", start: start, roomName: "Bed 1"),
                                                now: Self.now)
        // Five bookings hours apart; the third overlaps the local one by 15 minutes.
        var changes: [Change] = []
        let offsets: [Int64] = [-10_800_000, -7_200_000, 900_000, 7_200_000, 10_800_000]
        for (k, offset) in offsets.enumerated() {
            changes += appointment("a-\(k)", start: start + offset, on: site, at: Int64(k + 1))
        }
        let summary = try receive(site.db, changes, mergeEvery: mergeEvery, setAside: setAside)
        #expect(summary.applied == 15)
        #expect(summary.conflicts == 1)
        let listed = try ConflictBook(site.db).list()
        #expect(listed.map(\.kind) == ["double-booking"])
        #expect(Set([listed.first?.a.reference, listed.first?.b.reference]) == Set([local.first?.appointment.id, "a-2"]))
        #expect(try site.db.first("SELECT COUNT(*) FROM appointment")?.int(0) == 6)
    }

    @Test("a new patient holding a chart number used here is listed as a duplicate, from its run or from the merge, indexes set aside or not",
          arguments: [false, true], [false, true])
    func duplicateChart(split: Bool, setAside: Bool) throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let chart = try #require(try site.db.first("SELECT chart FROM patient")?.string(0))
        let identity = change("patient", "p-copy", "identity", ["site_id": .string(site.siteID), "chart": .string(chart), "chart_seq": .integer(1),
                                                                "created_at": .integer(Self.now)], at: 1)
        let details = change("patient", "p-copy", "details", ["first": .string("Ada"), "last": .string("Copy"), "dob": .string("1980-01-01"),
                                                               "phone": .null, "email": .null, "search": .string("ada copy")], at: 1)
        // Split by another row, the patient's two groups are two runs: the second goes through the general merge.
        let other = change("room", "r-2", "details", ["site_id": .string(site.siteID), "name": .string("Bed 2"), "kind": .string("bed"),
                                                      "created_at": .integer(Self.now)], at: 1)
        let summary = try receive(site.db, split ? [identity, other, details] : [identity, details], setAside: setAside)
        #expect(summary.conflicts == 1)
        let listed = try ConflictBook(site.db).list()
        #expect(listed.map(\.kind) == ["duplicate-chart"])
        #expect(Set([listed.first?.a.reference, listed.first?.b.reference]) == Set([site.patient, "p-copy"]))
    }

    /// The names and definitions of the indexes `SetAsideIndexes` may drop that this database has.
    static func bulkIndexes(_ db: Database) throws -> [String] {
        try db.query("""
            SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('appointment', 'patient') AND sql IS NOT NULL
            AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name
            """).map { $0.string(0) }
    }

    @Test("indexes set aside for a large file are built again, the same, and find what they found before")
    func setAsideIndexesComeBack() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let before = try Self.bulkIndexes(site.db)
        #expect(before.count == 7, "\(before)")
        // Twenty bookings a day apart, and one more on the first one's slot.
        var changes: [Change] = []
        let start = Self.now + 86_400_000
        for k in 0..<20 { changes += appointment("a-\(k)", start: start + Int64(k) * 86_400_000, on: site, at: Int64(k + 1)) }
        changes += appointment("a-twin", start: start + 600_000, on: site, at: 21)
        let summary = try receive(site.db, changes, setAside: true)
        #expect(summary.applied == 63)
        #expect(try Self.bulkIndexes(site.db) == before)
        #expect(try site.db.query("PRAGMA integrity_check").map { $0.string(0) } == ["ok"])
        #expect(try Doctor(site.db).examine().first { $0.code == "schema" }?.ok == true)
        let listed = try ConflictBook(site.db).list()
        #expect(listed.map(\.kind) == ["double-booking"])
        #expect(Set([listed.first?.a.reference, listed.first?.b.reference]) == Set(["a-0", "a-twin"]))
        // The query that lists a practitioner's day reads the rebuilt index.
        let plan = try site.db.query("EXPLAIN QUERY PLAN SELECT id FROM appointment WHERE staff_id = ? AND start_ms >= ?", [site.staff, start])
        #expect(plan.contains { $0.string(3).contains("appointment_staff_start") })
    }

    @Test("a deletion in a large file brings the set-aside indexes back before it is applied")
    func deletionRestoresIndexes() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let start = Self.now + 86_400_000
        try receive(site.db, appointment("a-old", start: start, on: site, at: 1))
        try site.db.write { db in
            try ChangeCapture.setApplying(db, true)
            var batch = try ChangeBatch(db: db, from: "QC", now: Self.now)
            try batch.setAsideIndexes(incoming: 100, minimum: 0)
            #expect(batch.setAside.isActive)
            for change in appointment("a-new", start: start + 600_000, on: site, at: 2) { try batch.receive(change, claimedID: change.id, line: 2) }
            #expect(batch.setAside.isActive, "new rows leave them aside")
            let deletion = change("appointment", "a-old", "_deleted", [:], at: 3)
            try batch.receive(deletion, claimedID: deletion.id, line: 3)
            #expect(!batch.setAside.isActive)
            #expect(try Self.bulkIndexes(db).count == 7)
            let summary = try batch.finish(header: nil)
            try ChangeCapture.setApplying(db, false)
            #expect(summary.applied == 4)
        }
        #expect(try site.db.query("SELECT id FROM appointment ORDER BY id").map { $0.string(0) } == ["a-new"])
        // a-new overlapped a-old, which is gone: nothing is listed.
        #expect(try ConflictBook(site.db).list().isEmpty)
    }

    @Test("rows merged while the indexes are aside are checked when too many wait, and the rest of the file as usual")
    func waitingLimitRestoresEarly() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        let start = Self.now + 86_400_000
        // Each booking's groups split by another row's change: every booking takes the general merge.
        var changes: [Change] = []
        for k in 0..<6 {
            let groups = appointment("a-\(k)", start: start + Int64(k) * 600_000, on: site, at: Int64(k + 1))
            changes += [groups[0], change("room", "r-\(k)", "details", ["site_id": .string(site.siteID), "name": .string("Bed x\(k)"), "kind": .string("bed"),
                                                                         "created_at": .integer(Self.now)], at: Int64(k + 1)), groups[1], groups[2]]
        }
        let summary = try receive(site.db, changes, mergeEvery: 2, setAside: true, waitingLimit: 2)
        #expect(summary.applied == 24)
        #expect(try Self.bulkIndexes(site.db).count == 7)
        // Bookings 10 minutes apart, 30 minutes long: each overlaps the next two.
        let pairs = try ConflictBook(site.db).list().map { [$0.a.reference, $0.b.reference].sorted().joined(separator: "+") }.sorted()
        #expect(pairs == ["a-0+a-1", "a-0+a-2", "a-1+a-2", "a-1+a-3", "a-2+a-3", "a-2+a-4", "a-3+a-4", "a-3+a-5", "a-4+a-5"])
    }

    @Test("the indexes are set aside once an import has inserted enough rows, and never for changes already here")
    func setAsideOnceRowsAreInserted() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        var changes: [Change] = []
        for k in 0..<10 { changes += appointment("a-\(k)", start: Self.now + Int64(k + 1) * 86_400_000, on: site, at: Int64(k + 1)) }
        for (pass, expected) in [(1, true), (2, false)] {
            try site.db.write { db in
                try ChangeCapture.setApplying(db, true)
                var batch = try ChangeBatch(db: db, from: "QC", now: Self.now)
                batch.setAsidePlan = (changes.count, 2)
                for (line, change) in changes.enumerated() {
                    try batch.receive(change, claimedID: change.id, line: line + 2)
                    // Two rows are in once the third begins (7 changes): the other 23 are more than twice the 2 bookings here.
                    if line == 5 { #expect(!batch.setAside.isActive, "pass \(pass): one row inserted") }
                }
                #expect(batch.setAside.isActive == expected, "pass \(pass)")
                #expect(try Self.bulkIndexes(db).isEmpty == expected, "pass \(pass)")
                let summary = try batch.finish(header: nil)
                try ChangeCapture.setApplying(db, false)
                #expect(summary.alreadySeen == (expected ? 0 : 30))
            }
            #expect(try Self.bulkIndexes(site.db).count == 7)
        }
    }

    @Test("which tables' indexes the rest of a file sets aside: enough changes, and twice the rows each table holds")
    func setAsideRule() throws {
        let site = try site()
        defer { try? FileManager.default.removeItem(at: site.folder) }
        try receive(site.db, (0..<3).flatMap { appointment("a-\($0)", start: Self.now + Int64($0 + 1) * 86_400_000, on: site, at: Int64($0 + 1)) })
        // Here: 3 bookings and 1 patient.
        #expect(try SetAsideIndexes.tables(site.db, incoming: 5, minimum: 6) == [])
        #expect(try SetAsideIndexes.tables(site.db, incoming: 5, minimum: 0) == ["patient"])
        #expect(try SetAsideIndexes.tables(site.db, incoming: 6, minimum: 6) == ["appointment", "patient"])
        #expect(try SetAsideIndexes.tables(site.db, incoming: 1, minimum: 0) == [])
    }
}
