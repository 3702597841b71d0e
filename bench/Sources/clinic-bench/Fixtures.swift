import Foundation
import Models
import Storage

/// Builds benchmark databases: a real site, staff, hours, rooms and a service through the
/// repositories (so every invariant holds), then bulk rows in one transaction where the benchmark
/// is not about insertion. Bulk rows skip change capture (`applying = 1`) for speed.
struct Clinic {
    let db: Database
    let zone: SiteTimeZone
    let practitioners: [Practitioner]
    let admin: Practitioner
    let roomNames: [String]
    let roomIDs: [String]
    let serviceID: String
    let patientIDs: [String]
    let patientCharts: [String]
    /// The token of the admin's session, opened once at set-up: every later act proves the admin by it
    /// (one SHA-256 and one indexed lookup), as a workstation that has logged in does.
    let adminToken: String

    /// The admin's passphrase in every benchmark database (`bench/run` logs in with it too).
    static let adminPassphrase = "bench-site-passphrase"
    /// What each clinician enrolled with `signers` is given by the admin, and then chooses.
    static func firstPassphrase(_ handle: String) -> String { "bench-first-passphrase" }
    static let clinicianPassphrase = "bench-clinician-passphrase"

    /// Proves the admin by the set-up session, never by the passphrase (no scrypt).
    var adminCredentials: Credentials { Credentials(sessionTokens: [adminToken], passphrase: { nil }) }

    /// The admin acting at `now` (within the 10 hours after `setupNow` the set-up session lasts).
    func admin(now: Int64 = Clinic.setupNow) -> AuditedSession {
        AuditedSession(db: db, handle: "admin", credentials: adminCredentials, now: now)
    }

    /// A clinician made with a passphrase (`signers`) chooses their own at `now`, as they must before
    /// acting: one session, proven by that passphrase, whose derived secrets later signatures reuse.
    func enrol(_ handle: String, now: Int64) throws -> AuditedSession {
        let session = AuditedSession(db: db, handle: handle, credentials: .passphrase(Self.firstPassphrase(handle)), now: now)
        try session.changePassphrase(to: Self.clinicianPassphrase)
        return session
    }

    /// 2026-01-05, a Monday; bulk appointments fill the days from here on.
    static let firstDay = CivilDate(daysSinceEpoch: 20_458)
    /// The fixed "now" of set-up: 2026-01-01T00:00Z.
    static let setupNow: Int64 = 1_767_225_600_000
    /// Working day 07:00–21:00, booked in 30-minute slots: 28 per practitioner per day.
    static let openMinute = 7 * 60, closeMinute = 21 * 60, slotMinutes = 30
    static var slotsPerDay: Int { (closeMinute - openMinute) / slotMinutes }

    static func deterministicID(_ kind: Int, _ n: Int) -> String {
        String(format: "00000000-%04x-7000-8000-%012x", kind, n)
    }

    /// A site `code` with `practitionerCount` clinicians (each with a room of their own) and `patientCount` patients.
    /// The first `signers` clinicians get a passphrase (theirs to change: `enrol`); the others have none and
    /// only appear in bookings. `captured` keeps the patients' change capture on (for a change log that
    /// carries them).
    static func create(path: String, code: String = "MTL", practitionerCount: Int = 20, patientCount: Int = 2_000,
                       signers: Int = 0, captured: Bool = false) throws -> Clinic {
        try? FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let db = try Database(path: path)
        let now = setupNow
        var practitioners: [Practitioner] = []
        var roomNames: [String] = [], roomIDs: [String] = []
        var admin: Practitioner?
        var serviceID = ""
        var token = ""
        try db.write { db in
            let site = try SiteRepository(db).initialise(code: code, name: "Bench \(code)", timeZone: "America/Toronto", admin: "admin",
                                                         adminName: "Admin", adminPassphrase: adminPassphrase, now: now)
            // Proven once by the passphrase (one scrypt); the login reuses that proof, and every later
            // session of the benchmark is proven by its token.
            let session = AuditedSession(db: db, handle: "admin", credentials: .passphrase(adminPassphrase), now: now)
            token = try session.login(minutes: 600).token
            admin = try StaffRepository(db).find("admin")
            for index in 0..<practitionerCount {
                let handle = "p\(index)"
                practitioners.append(try session.addStaff(handle: handle, name: "Clinician \(index)", discipline: .physiotherapy, roles: [.clinician],
                                                          passphrase: index < signers ? firstPassphrase(handle) : nil))
                for weekday in 1...7 {
                    _ = try session.addHours(handle: handle, hours: WorkingHours(weekday: weekday, startMinute: openMinute, endMinute: closeMinute))
                }
                let room = try session.addRoom(name: "Room \(index)", kind: .bed).room
                roomNames.append(room.name)
                roomIDs.append(room.id)
            }
            serviceID = try session.addService(slug: "physio-30", name: "Physio 30", durationMinutes: slotMinutes,
                                               discipline: .physiotherapy, requires: nil).id
            try bulkPatients(db, siteID: site.id, code: code, count: patientCount, captured: captured)
        }
        guard let admin else { throw BenchError("set-up did not create an admin") }
        let patients = try db.query("SELECT id, chart FROM patient ORDER BY chart_seq")
        return Clinic(db: db, zone: try SiteRepository(db).zone(), practitioners: practitioners, admin: admin, roomNames: roomNames,
                      roomIDs: roomIDs, serviceID: serviceID, patientIDs: patients.map { $0.string(0) },
                      patientCharts: patients.map { $0.string(1) }, adminToken: token)
    }

    private static func bulkPatients(_ db: Database, siteID: String, code: String, count: Int, captured: Bool) throws {
        // Patients that travel in a change log take ids of their own kind, so that they never collide
        // with the receiving fixture's own patients.
        if !captured { try db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1") }
        for n in 1...count {
            try db.execute("""
                INSERT INTO patient (id, site_id, chart, chart_seq, first, last, dob, phone, email, search, created_at)
                VALUES (?, ?, ?, ?, ?, ?, '1980-04-02', NULL, NULL, ?, ?)
                """, [deterministicID(captured ? 8 : 1, n), siteID, String(format: "%@-%06d", code, n), n, "Pat\(n)", "Ient\(n)",
                      "pat\(n) ient\(n)", setupNow])
        }
        if !captured { try db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1") }
    }

    /// The instant of slot `slot` (0-based) on `day`, in the site's zone.
    func start(day: CivilDate, slot: Int) -> Int64 {
        zone.instant(LocalDateTime(date: day, minuteOfDay: Self.openMinute + slot * Self.slotMinutes)) ?? zone.startOfDay(day)
    }

    /// A draft note for each appointment, oldest first (at most `limit`), its SOAP sections from
    /// `sentence(words)`, ids of kind `kind`; change capture on only when `captured`.
    func draftNotes(kind: Int, limit: Int = Int.max, captured: Bool, sentence: (Int) -> String) throws {
        try db.write { db in
            if !captured { try db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1") }
            var k = 0
            try db.forEach("SELECT id, patient_id, staff_id, start_ms FROM appointment ORDER BY start_ms, staff_id LIMIT ?", [limit]) { row in
                try db.execute("""
                    INSERT INTO note (id, appointment_id, patient_id, author_id, session_date, subjective, objective, assessment, plan,
                                      created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [Self.deterministicID(kind, k), row.string(0), row.string(1), row.string(2),
                          zone.local(row.int(3)).date.description, sentence(25), sentence(20), sentence(12), sentence(15),
                          Self.setupNow, Self.setupNow])
                k += 1
            }
            if !captured { try db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1") }
        }
    }

    /// Fills the schedule from `firstDay` with `count` non-overlapping appointments (every practitioner, room and
    /// patient busy at most once per slot), in one transaction without change capture (unless `captured`).
    /// Returns the first day left completely free.
    @discardableResult
    func bulkAppointments(_ count: Int, captured: Bool = false) throws -> CivilDate {
        let perDay = practitioners.count * Self.slotsPerDay
        try db.write { db in
            if !captured { try db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1") }
            for k in 0..<count {
                let day = Self.firstDay.adding(days: k / perDay)
                let slot = (k % perDay) / practitioners.count
                let who = k % practitioners.count
                let start = start(day: day, slot: slot)
                let patient = patientIDs[(k / practitioners.count * practitioners.count + who) % patientIDs.count]
                try db.execute("""
                    INSERT INTO appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, series_id,
                                             original_start_ms, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', NULL, ?, ?, ?)
                    """, [Self.deterministicID(2, k), patient, practitioners[who].id, roomIDs[who], serviceID, start,
                          start + Int64(Self.slotMinutes) * 60_000, start, Self.setupNow, Self.setupNow])
            }
            try db.execute("UPDATE schedule_bound SET value = max(value, ?) WHERE key = 'max_duration_ms'", [Int64(Self.slotMinutes) * 60_000])
            if !captured { try db.execute("UPDATE sync_state SET applying = 0 WHERE id = 1") }
        }
        return Self.firstDay.adding(days: (count + perDay - 1) / perDay + 1)
    }
}

/// A benchmark that could not run; the message names what went wrong (no patient data involved).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
