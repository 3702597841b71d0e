import Foundation
import Models
@testable import Storage
@testable import Sync
import TestSupport
import Testing

/// A network of sites in temporary files, each with its own clock.
final class Network {
    let folder: URL
    var sites: [Database] = []
    var codes: [String] = []
    var now: Int64 = 1_795_392_000_000 + 13 * 3_600_000
    var files: [URL] = []
    var fileCount = 0
    /// Rows per merge during import; small values make every import merge in several chunks.
    var mergeEvery = Importer.defaultMergeEvery
    /// Changes a file needs before the bulk tables' indexes are set aside; 0 sets them aside whenever a
    /// file brings twice the rows a bulk table holds (`SetAsideIndexes`).
    var setAsideMinimum = Importer.defaultSetAsideMinimum

    /// The PostgreSQL databases of the sites `postgres` named, kept until the network goes.
    var scratch: [ScratchPostgresDatabase] = []

    /// `postgres`: the sites (by index) whose database is on PostgreSQL (`PostgresCluster`); the others are SQLite files.
    init(siteCount: Int, postgres: Set<Int> = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<siteCount {
            let code = Self.codes[index]
            let db: Database
            if postgres.contains(index) {
                let database = try ScratchPostgresDatabase("t_sync")
                scratch.append(database)
                db = try Database(location: .postgres(database.address), environment: database.cluster.adminEnvironment)
            } else {
                db = try Database(path: folder.appendingPathComponent("\(code).sqlite").path)
                try db.execute("PRAGMA synchronous = OFF")
            }
            db.clock = ClinicClock(fixed: Instant.date(now))
            _ = try db.write { db in
                _ = try SiteRepository(db).createLocal(code: code, name: "Site \(code)", timeZone: Self.zones[index], now: now)
                try StaffRepository(db).add(handle: "admin\(code.lowercased())", name: "Admin", discipline: nil, roles: [.admin], now: now)
            }
            sites.append(db)
            codes.append(code)
        }
        let keys = try sites.map(SiteKeys.ensure)
        for (index, db) in sites.enumerated() {
            for (other, key) in keys.enumerated() where other != index {
                _ = try TrustStore(db).trust(code: codes[other], line: key.publicLine, now: now)
            }
        }
        let first = sites[0]
        try first.write { db in
            let staff = StaffRepository(db), hours = AvailabilityRepository(db)
            for handle in ["jdoe", "mroy", "lchen"] {
                try staff.add(handle: handle, name: "Clinician \(handle)", discipline: .physiotherapy, roles: [.clinician], now: now)
                // Dry needling, so drafts record needle sites and remove them.
                try staff.addCredential(handle: handle, credential: Credential(scope: .dryNeedling, regulator: "OPPQ", number: handle, expires: nil), now: now)
            }
            // lchen works every day at the first site; jdoe there every day but Wednesday, mroy every day
            // but Tuesday (the other sites have them on those days).
            for weekday in 1...7 {
                let day = WorkingHours(weekday: weekday, startMinute: 8 * 60, endMinute: 18 * 60)
                try hours.addHours(handle: "lchen", hours: day, now: now)
                if weekday != 3 { try hours.addHours(handle: "jdoe", hours: day, now: now) }
                if weekday != 2 { try hours.addHours(handle: "mroy", hours: day, now: now) }
            }
            for room in ["Bed 1", "Bed 2"] { try RoomRepository(db).add(name: room, kind: .bed, now: now) }
            try ServiceRepository(db).add(slug: "physio-30", name: "Physio", durationMinutes: 30, discipline: .physiotherapy, requires: nil, now: now)
            for index in 0..<6 {
                try PatientRepository(db).add(.init(first: "P\(index)", last: "Patient", dateOfBirth: CivilDate(year: 1980, month: 1, day: 1 + index) ?? CivilDate(daysSinceEpoch: 0)),
                                              now: now, today: CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0))
            }
        }
        for index in 1..<siteCount { _ = try exchange(from: 0, to: index) }
        // Every other site, offline: beds of the same names as the first site's, the service offered,
        // and the two clinicians working there on the other day (so each works at two sites).
        for index in 1..<siteCount {
            try sites[index].write { db in
                for room in ["Bed 1", "Bed 2"] { try RoomRepository(db).add(name: room, kind: .bed, now: now) }
                try ServiceRepository(db).offer(try ServiceRepository(db).require("physio-30"), at: try SiteRepository(db).local())
                let hours = AvailabilityRepository(db)
                try hours.addHours(handle: "jdoe", hours: WorkingHours(weekday: 3, startMinute: 8 * 60, endMinute: 18 * 60), now: now)
                try hours.addHours(handle: "mroy", hours: WorkingHours(weekday: 2, startMinute: 8 * 60, endMinute: 18 * 60), now: now)
            }
        }
    }

    static let codes = ["MTL", "QC", "VAN", "HFX", "SHE"]
    /// Sites in different zones, two of them sharing the first's.
    static let zones = ["America/Toronto", "America/Toronto", "America/Vancouver", "America/Halifax", "America/Vancouver"]

    deinit {
        // The connections go before their databases are dropped.
        sites.removeAll()
        try? FileManager.default.removeItem(at: folder)
    }

    func tick(_ millis: Int64 = 1_000) {
        now += millis
        for db in sites { db.clock = ClinicClock(fixed: Instant.date(now)) }
    }

    /// Exports from one site for another and imports it there; keeps the file for later replays.
    @discardableResult
    func exchange(from: Int, to: Int, full: Bool = false) throws -> Importer.Summary {
        fileCount += 1
        let file = folder.appendingPathComponent("log-\(fileCount).jsonl")
        _ = try Exporter(sites[from]).export(to: .file(file.path), recipient: codes[to], full: full)
        files.append(file)
        var importer = Importer(sites[to])
        importer.mergeEvery = mergeEvery
        importer.setAsideMinimum = setAsideMinimum
        return try importer.importFile(file.path)
    }

    func conflicts(_ index: Int) throws -> [String] {
        try ConflictBook(sites[index]).list(includeResolved: true).map { "\($0.id) \($0.kind) \($0.resolution ?? "-")" }.sorted()
    }
}

/// One random operation at one site, as a user would do it; refusals are part of the game.
func randomOperation(_ network: Network, site: Int, random: inout SplitMix) {
    let db = network.sites[site]
    let now = network.now
    let scheduler = Scheduler(db)
    // Insertion order: SQLite's rowid, PostgreSQL's `seq` (room and note have none there: their ids, UUIDv7s).
    let rowid = db.dialect.rowid, uuidOrder = db.engine == .sqlite ? "rowid" : "id"
    let charts = (try? db.query("SELECT chart FROM patient ORDER BY \(rowid)").map { $0.string(0) }) ?? []
    let appointments = (try? db.query("SELECT id FROM appointment ORDER BY \(rowid)").map { $0.string(0) }) ?? []
    let rooms = (try? db.query("SELECT name FROM room ORDER BY \(uuidOrder)").map { $0.string(0) }) ?? []
    let handles = ["jdoe", "mroy", "lchen"]
    // Most bookings at this site; some, made offline, at another site this one knows (in that site's zone).
    let known = (try? SiteRepository(db).all().map(\.code).filter { Network.codes.contains($0) }) ?? []
    let bookingSite = !known.isEmpty && random.chance(25) ? known[random.below(known.count)] : network.codes[site]
    let zone = (try? SiteTimeZone(Network.zones[Network.codes.firstIndex(of: bookingSite) ?? 0]))
    func start() -> Int64 {
        let day = CivilDate(year: 2026, month: 12, day: 1 + random.below(2)) ?? CivilDate(daysSinceEpoch: 0)
        let minute = 9 * 60 + random.below(12) * 30
        return zone?.instant(LocalDateTime(date: day, minuteOfDay: minute)) ?? 0
    }
    let operation = random.below(100)
    // CLINIC_SYNC_TRACE names each operation as it starts (on stderr, unbuffered: a hung scenario shows where).
    if ProcessInfo.processInfo.environment["CLINIC_SYNC_TRACE"] != nil { FileHandle.standardError.write(Data("site \(site) operation \(operation)\n".utf8)) }
    switch operation {
    case 0..<30:
        guard !charts.isEmpty else { return }
        _ = try? scheduler.book(.init(patientChart: charts[random.below(charts.count)], practitionerHandle: handles[random.below(3)],
                                      serviceSlug: "physio-30", start: start(), siteCode: bookingSite), now: now)
    case 30..<42:
        guard !appointments.isEmpty else { return }
        _ = try? scheduler.reschedule(appointments[random.below(appointments.count)], start: start(),
                                      practitionerHandle: random.chance(30) ? handles[random.below(3)] : nil,
                                      roomName: random.chance(30) && !rooms.isEmpty ? rooms[random.below(rooms.count)] : nil, now: now)
        // A room of this site's own, which other sites first see relayed, often after a move into it.
        if random.chance(15) { _ = try? RoomRepository(db).add(name: "Room \(network.codes[site]) \(random.below(1000))", kind: .bed, now: now) }
    case 42..<50:
        guard !appointments.isEmpty else { return }
        _ = try? scheduler.cancel(appointments[random.below(appointments.count)], reason: "random", series: false, now: now)
    case 50..<58:
        // A site closed on a booking day, or opened again, by this site or another (one row per site and day).
        if random.chance(30), let site = try? SiteRepository(db).require(code: bookingSite),
           let day = CivilDate(year: 2026, month: 12, day: 1 + random.below(2)) {
            let reopening = random.chance(40)
            _ = try? db.write { db in
                reopening ? try ClosureRepository(db).reopen(site: site, date: day)
                          : try ClosureRepository(db).close(site: site, date: day, reason: "holiday \(random.below(3))")
            }
        }
        _ = try? PatientRepository(db).add(.init(first: "New\(random.below(1000))", last: "Person", dateOfBirth: CivilDate(year: 1990, month: 5, day: 5) ?? CivilDate(daysSinceEpoch: 0)),
                                           now: now, today: CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0))
    case 58..<70:
        guard !charts.isEmpty else { return }
        _ = try? PatientRepository(db).updateContact(chart: charts[random.below(charts.count)], phone: "514-555-\(1000 + random.below(9000))",
                                                     email: nil, today: CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0))
    case 70..<95:
        guard !appointments.isEmpty, let record = try? scheduler.record(id: appointments[random.below(appointments.count)]),
              let actor = try? StaffRepository(db).require(record.practitionerHandle) else { return }
        guard let session = try? TestSigning.session(db, handle: actor.handle, now: now) else { return }
        let notes = Notes(session)
        let existing = try? db.first("SELECT id FROM note WHERE appointment_id = ? ORDER BY \(uuidOrder) LIMIT 1", [record.id])?.string(0)
        guard let noteID = existing ?? (try? notes.start(appointment: record.id))?.id else { return }
        var edit = Notes.Edit()
        edit.sections[[SOAPSection.subjective, .objective, .assessment, .plan][random.below(4)]] = "text \(random.below(100))"
        edit.painBefore = random.below(11)
        _ = try? notes.edit(noteID, edit)
        // A needle site recorded on a draft and removed again (the note stays signable, with no consent on file),
        // chosen from the pain score so earlier seeds draw as before.
        if (edit.painBefore ?? 0) % 3 == 0 {
            _ = try? notes.needle(noteID, NeedlingEntry(point: nil, muscle: try? MuscleCatalog.muscle("infraspinatus"), side: .left, count: 1))
            _ = try? notes.removeNeedle(noteID, entry: "1")
        }
        if random.chance(35) { _ = try? notes.sign(noteID, acknowledge: [], passphrase: { TestSigning.passphrase }) }
    default:
        guard let actor = try? StaffRepository(db).find("admin\(network.codes[site].lowercased())"),
              let entry = try? ConflictBook(db).list().first else { return }
        _ = try? ConflictBook(db).resolve(id: entry.id, keep: random.chance(50) ? "A" : "B", by: actor.handle, now: now)
    }
}

/// Runs one scenario; returns a description of the first divergence, or nil when all sites agree.
/// With `postgres`, a mixed network: three sites, the first on PostgreSQL, the others SQLite.
func runScenario(seed: UInt64, postgres: Bool = false) throws -> String? {
    var random = SplitMix(state: seed)
    let drawn = 2 + random.below(4)
    let network = postgres ? try Network(siteCount: 3, postgres: [0]) : try Network(siteCount: drawn)
    let count = network.sites.count
    if random.chance(50) { network.mergeEvery = 1 + random.below(6) }
    // Chosen from the seed, not drawn, so the scenarios stay the ones earlier seeds named.
    if seed % 3 == 0 { network.setAsideMinimum = 0 }
    let operations = random.chance(10) ? random.below(201) : random.below(25)
    var truncatedOnce = false
    for _ in 0..<(operations * count) {
        network.tick()
        randomOperation(network, site: random.below(count), random: &random)
        if random.chance(15) {
            let from = random.below(count), to = random.below(count)
            if from != to { try network.exchange(from: from, to: to, full: random.chance(10)) }
        }
        if random.chance(4), let old = network.files.randomElement(using: &random) {
            // Re-import an old file somewhere it was not addressed to: duplicates are skipped, or refused cleanly.
            _ = try? Importer(network.sites[random.below(count)]).importFile(old.path)
        }
        if !truncatedOnce, random.chance(3), let last = network.files.last, let data = try? Data(contentsOf: last), data.count > 200 {
            truncatedOnce = true
            let cut = network.folder.appendingPathComponent("truncated.jsonl")
            try data.prefix(data.count / 2).write(to: cut)
            let target = network.sites[random.below(count)]
            let before = try Digest.compute(target)
            do {
                _ = try Importer(target).importFile(cut.path)
                return "a truncated file was accepted"
            } catch let error as ClinicError where error.code.name == "bad-file" || error.code.name == "own-file" {
                guard try Digest.compute(target) == before else { return "a refused truncated file changed the data" }
            }
        }
    }
    for _ in 0..<2 {
        for from in 0..<count { for to in 0..<count where from != to { try network.exchange(from: from, to: to) } }
    }
    let digests = try network.sites.map(Digest.compute)
    guard Set(digests).count == 1 else {
        var detail = ""
        for table in SyncSchema.tables {
            let contents = try network.sites.map { db in
                try db.query("SELECT id, \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY id").map { row in
                    row.values.map { "\($0)" }.joined(separator: "|")
                }
            }
            if Set(contents.map { $0.joined(separator: "\n") }).count > 1 {
                detail += " table \(table.name): rows \(contents.map(\.count))"
                if let first = contents.first {
                    for other in contents.dropFirst() {
                        let a = Set(first), b = Set(other)
                        if let x = a.subtracting(b).first { detail += " only-first: \(x.prefix(300))" }
                        if let y = b.subtracting(a).first { detail += " only-other: \(y.prefix(300))" }
                    }
                }
            }
        }
        let changes = try network.sites.map { try $0.first("SELECT COUNT(*) FROM change")?.int(0) ?? 0 }
        let sets = try network.sites.map { Set(try $0.query("SELECT change_id, origin, hlc, tbl, grp FROM change").map { "\($0.string(1)) \($0.int(2)) \($0.string(3)).\($0.string(4))" }) }
        let union = sets.reduce(Set<String>()) { $0.union($1) }
        for (index, set) in sets.enumerated() where set != union {
            detail += " site \(network.codes[index]) lacks \(union.subtracting(set).sorted()) vector \(try Exporter.contentVector(network.sites[index]))"
        }
        let pending = try network.sites.map { try $0.query("SELECT tbl FROM pending_row").map { $0.string(0) } }
        return "digests differ: \(digests.map { String($0.prefix(8)) }) changes \(changes) pending \(pending)" + detail
    }
    let lists = try (0..<count).map(network.conflicts)
    guard lists.allSatisfy({ $0 == lists[0] }) else {
        let all = Set(lists.flatMap { $0 })
        let partial = all.filter { entry in !lists.allSatisfy { $0.contains(entry) } }
        return "conflict lists differ: \(lists.map(\.count)); not everywhere: \(partial.map { String($0.dropFirst(50)) }.sorted())"
    }
    return try sitesKeptApart(network)
}

/// Each site's rooms and hours stay its own after every exchange: every site has its own Bed 1 and
/// Bed 2, each room and each range of hours is at the site that made it, and a booking's room is at
/// a site that offers its service.
func sitesKeptApart(_ network: Network) throws -> String? {
    for db in network.sites {
        let beds = try db.query("""
            SELECT s.code, COUNT(*) FROM room r JOIN site s ON s.id = r.site_id WHERE r.name IN ('Bed 1', 'Bed 2') GROUP BY s.code ORDER BY s.code
            """).map { "\($0.string(0)):\($0.int(1))" }
        guard beds == network.codes.sorted().map({ "\($0):2" }) else { return "beds by site: \(beds)" }
        let strayRooms = try db.first("""
            SELECT COUNT(*) FROM room r JOIN site s ON s.id = r.site_id
            WHERE s.code != (SELECT c.origin FROM change c WHERE c.tbl = 'room' AND c.row_id = r.id ORDER BY c.hlc LIMIT 1)
            """)?.int(0) ?? -1
        guard strayRooms == 0 else { return "\(strayRooms) rooms are at another site than the one that made them" }
        let strayHours = try db.first("""
            SELECT COUNT(*) FROM working_hours w LEFT JOIN site s ON s.id = w.site_id
            WHERE s.code IS NULL OR s.code != (SELECT c.origin FROM change c WHERE c.tbl = 'working_hours' AND c.row_id = w.id ORDER BY c.hlc LIMIT 1)
            """)?.int(0) ?? -1
        guard strayHours == 0 else { return "\(strayHours) ranges of hours are at another site than the one that set them" }
        let unoffered = try db.first("""
            SELECT COUNT(*) FROM appointment a JOIN room r ON r.id = a.room_id
            WHERE NOT EXISTS (SELECT 1 FROM service_offer o WHERE o.service_id = a.service_id AND o.site_id = r.site_id)
            """)?.int(0) ?? -1
        guard unoffered == 0 else { return "\(unoffered) bookings of a service their site does not offer" }
    }
    return nil
}

@Suite("Sites converge whatever the order of exchange")
struct ConvergenceTests {
    static let scenarioCount = Int(ProcessInfo.processInfo.environment["CLINIC_SYNC_SCENARIOS"] ?? "") ?? 500

    /// The scenarios' seeds, one test case each (run in parallel); `CLINIC_SYNC_SEED` replays one.
    static let seeds: [UInt64] = {
        if let replay = ProcessInfo.processInfo.environment["CLINIC_SYNC_SEED"].flatMap(UInt64.init) { return [replay] }
        return (0..<scenarioCount).map { UInt64($0) &* 0x2545_F491_4F6C_DD1D &+ 17 }
    }()

    @Test("random operations and exchanges at 2–5 sites end with equal digests and equal conflict lists", arguments: seeds)
    func convergence(seed: UInt64) {
        let started = Date()
        defer { if ProcessInfo.processInfo.environment["CLINIC_SYNC_TIMING"] != nil { print("scenario seed \(seed) \(Date().timeIntervalSince(started))") } }
        // A scenario that throws (an import refused, say) is a failure of its seed too, printed for replay.
        let outcome: String?
        do { outcome = try runScenario(seed: seed) } catch { outcome = "threw \(error)" }
        #expect(outcome == nil, "seed \(seed): \(outcome ?? "") (replay with CLINIC_SYNC_SEED=\(seed))")
    }

    /// A few scenarios on a mixed network, each a few seconds (a PostgreSQL database made per
    /// scenario): one per hundred SQLite scenarios, at least three.
    static let mixedSeeds: [UInt64] = {
        if let replay = ProcessInfo.processInfo.environment["CLINIC_SYNC_SEED"].flatMap(UInt64.init) { return [replay] }
        return (0..<max(3, scenarioCount / 100)).map { UInt64($0) &* 0x2545_F491_4F6C_DD1D &+ 17 }
    }()

    @Test("random operations and exchanges at one PostgreSQL site and two SQLite sites end with equal digests and conflict lists",
          arguments: mixedSeeds)
    func mixedConvergence(seed: UInt64) {
        let started = Date()
        defer { if ProcessInfo.processInfo.environment["CLINIC_SYNC_TIMING"] != nil { print("mixed scenario seed \(seed) \(Date().timeIntervalSince(started))") } }
        let outcome: String?
        do { outcome = try runScenario(seed: seed, postgres: true) } catch { outcome = "threw \(error)" }
        #expect(outcome == nil, "mixed seed \(seed): \(outcome ?? "") (replay with CLINIC_SYNC_SEED=\(seed))")
    }
}
