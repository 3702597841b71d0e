import Foundation
import Models
import Testing
@testable import Storage

/// A database made for one test on the test cluster, holding the appointment table and its exclusion
/// constraints, dropped afterwards.
private final class ScheduleDatabase {
    let cluster: PostgresCluster
    let name: String

    init() throws {
        cluster = try PostgresCluster.shared.get()
        name = "clinic_excl_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try cluster.adminLink()
        defer { admin.close() }
        // CREATE DATABASE takes no bound parameters; the name is ours, made of safe characters.
        try admin.execute("CREATE DATABASE \(name)")
        let link = try self.link()
        defer { link.close() }
        for statement in AppointmentConstraints.setupStatements { try link.execute(statement) }
    }

    /// A new connection to this database (its own session, as another workstation's).
    func link() throws -> PostgresLink {
        try PostgresLink(cluster.address(user: cluster.adminUser, database: name), environment: cluster.adminEnvironment)
    }

    deinit {
        if let admin = try? cluster.adminLink() {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
    }
}

/// What each racing thread saw, appended under a lock.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ outcome: String) { lock.withLock { stored.append(outcome) } }
    var all: [String] { lock.withLock { stored } }
}

/// 2026-03-02 09:00 UTC plus `minutes`, in ms.
private func at(_ minutes: Int64) -> Int64 { 1_772_442_000_000 + minutes * 60_000 }

/// Inserts one appointment; practitioner, room and patient default to ones no other row uses.
private func book(_ link: PostgresLink, _ id: String, from start: Int64, to end: Int64, staff: String? = nil, room: String? = nil,
                  patient: String? = nil, status: AppointmentStatus = .booked, inConflict: Int64 = 0) throws {
    try link.execute("""
        INSERT INTO appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, created_at, updated_at, in_conflict)
        VALUES ($1, $2, $3, $4, 'svc', $5, $6, $7, 0, 0, $8)
        """, [.text(id), .text(patient ?? "pt-\(id)"), .text(staff ?? "st-\(id)"), .text(room ?? "rm-\(id)"),
              .integer(at(start)), .integer(at(end)), .text(status.rawValue), .integer(inConflict)])
}

private func ids(_ link: PostgresLink) throws -> [String] {
    try link.query("SELECT id FROM appointment ORDER BY id").map { row in
        if case .text(let id) = row[0] { return id }
        return "?"
    }
}

/// The refusal a closure threw, when it is `slot-taken`.
private func slotTaken(_ body: () throws -> Void) -> ClinicError? {
    let error = #expect(throws: ClinicError.self) { try body() }
    #expect(error?.code == .slotTaken, "\(String(describing: error))")
    return error
}

@Suite("PostgreSQL exclusion constraints refuse double bookings", .serialized, .timeLimit(.minutes(2)))
struct AppointmentConstraintTests {
    @Test("20 workstations book one practitioner's slot at once: exactly one commits, 19 get slot-taken and nothing else")
    func twentyWayRace() throws {
        let database = try ScheduleDatabase()
        let contenders = 20
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let outcomes = Outcomes()
        let databaseName = database.name, cluster = database.cluster
        for index in 0..<contenders {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                let link: PostgresLink
                do {
                    link = try PostgresLink(cluster.address(user: cluster.adminUser, database: databaseName), environment: cluster.adminEnvironment)
                } catch {
                    outcomes.append("other: cannot connect: \(error)")
                    ready.signal()
                    return
                }
                defer { link.close() }
                ready.signal()
                go.wait()
                do {
                    // Each one overlaps every other (09:00+i for 30 minutes, i < 20), with its own room and patient.
                    try link.transaction { link in
                        try book(link, "a\(index)", from: Int64(index), to: Int64(index) + 30, staff: "st-one")
                        try link.execute("SELECT pg_sleep(0.02)") // hold the slot a moment, so the others wait on it
                    }
                    outcomes.append("committed")
                } catch let error as ClinicError where error.code == .slotTaken {
                    outcomes.append("slot-taken: " + error.message)
                } catch {
                    outcomes.append("other: \(error)")
                }
            }
        }
        for _ in 0..<contenders { ready.wait() }
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<contenders { go.signal() }
        finished.wait()
        let elapsed = clock.now - started
        print("20-way race: \(elapsed) for \(contenders) contenders")

        let all = outcomes.all
        #expect(all.count == contenders)
        #expect(all.filter { $0 == "committed" }.count == 1, "\(all)")
        let refused = all.filter { $0.hasPrefix("slot-taken: ") }
        #expect(refused.count == contenders - 1, "\(all)")
        #expect(Set(refused).count == 1, "every refusal says the same thing: \(Set(refused))")
        #expect(refused.first?.contains("practitioner") == true)
        #expect(all.allSatisfy { !$0.contains("st-one") && !$0.contains("a1") && !$0.contains("2026") })
        let link = try database.link()
        defer { link.close() }
        #expect(try link.query("SELECT count(*) FROM appointment") == [[1]])
    }

    @Test("touching intervals both hold; a cancelled appointment frees its slot, a no-show does not")
    func touchingAndCancelled() throws {
        let database = try ScheduleDatabase()
        let link = try database.link()
        defer { link.close() }
        try book(link, "first", from: 0, to: 30, staff: "st-one")
        try book(link, "second", from: 30, to: 60, staff: "st-one")
        _ = slotTaken { try book(link, "middle", from: 15, to: 45, staff: "st-one") }
        _ = slotTaken { try book(link, "again", from: 0, to: 30, staff: "st-one") }

        try link.execute("UPDATE appointment SET status = 'cancelled' WHERE id = 'first'")
        try book(link, "again", from: 0, to: 30, staff: "st-one")
        // The cancelled one cannot come back while its slot is taken.
        _ = slotTaken { try link.execute("UPDATE appointment SET status = 'booked' WHERE id = 'first'") }

        try book(link, "absent", from: 60, to: 90, staff: "st-one", status: .noShow)
        _ = slotTaken { try book(link, "after", from: 60, to: 90, staff: "st-one") }
        #expect(try ids(link) == ["absent", "again", "first", "second"])
    }

    @Test("an import defers the constraints, stores an offline double booking marked in conflict; resolving re-binds it")
    func importMarksDoubleBooking() throws {
        let database = try ScheduleDatabase()
        let link = try database.link()
        defer { link.close() }
        // Both rows stored and marked before COMMIT.
        try link.transaction { link in
            try link.execute("SET CONSTRAINTS ALL DEFERRED")
            try book(link, "x", from: 0, to: 30, staff: "st-one")
            try book(link, "y", from: 15, to: 45, staff: "st-one")
            try link.execute("UPDATE appointment SET in_conflict = 1 WHERE id IN ('x', 'y')")
        }
        #expect(try link.query("SELECT id, in_conflict FROM appointment ORDER BY id") == [["x", 1], ["y", 1]])
        // While marked, neither row is bound: a third overlapping row passes the engine (the scheduler's own check refuses it).
        try book(link, "z", from: 20, to: 40, staff: "st-one")
        try link.execute("DELETE FROM appointment WHERE id = 'z'")

        // The negative control: the same import without the marks is refused at COMMIT, and leaves nothing.
        _ = slotTaken {
            try link.transaction { link in
                try link.execute("SET CONSTRAINTS ALL DEFERRED")
                try book(link, "p", from: 100, to: 130, staff: "st-two")
                try book(link, "q", from: 115, to: 145, staff: "st-two")
            }
        }
        #expect(try ids(link) == ["x", "y"])

        // Clearing both flags without cancelling one: refused at that statement, or at COMMIT when deferred.
        _ = slotTaken { try link.execute("UPDATE appointment SET in_conflict = 0 WHERE id IN ('x', 'y')") }
        _ = slotTaken {
            try link.transaction { link in
                try link.execute("SET CONSTRAINTS ALL DEFERRED")
                try link.execute("UPDATE appointment SET in_conflict = 0 WHERE id IN ('x', 'y')")
            }
        }
        try link.execute("UPDATE appointment SET in_conflict = 0 WHERE id = 'x'")
        _ = slotTaken { try link.execute("UPDATE appointment SET in_conflict = 0 WHERE id = 'y'") }

        // The resolution: cancel the other, then clear the flag on the kept one. The constraint binds both again.
        try link.transaction { link in
            try link.execute("UPDATE appointment SET status = 'cancelled' WHERE id = 'y'")
            try link.execute("UPDATE appointment SET in_conflict = 0 WHERE id = 'y'")
        }
        #expect(try link.query("SELECT id, status, in_conflict FROM appointment ORDER BY id") == [["x", "booked", 0], ["y", "cancelled", 0]])
        _ = slotTaken { try book(link, "z", from: 20, to: 40, staff: "st-one") }
    }

    @Test("the room and the patient constraints each refuse their own overlap, naming it and no value")
    func roomAndPatient() throws {
        let database = try ScheduleDatabase()
        let link = try database.link()
        defer { link.close() }
        try book(link, "ada-blue", from: 0, to: 30, room: "rm-blue", patient: "pt-ada")
        let room = slotTaken { try book(link, "room-clash", from: 10, to: 40, room: "rm-blue") }
        #expect(room?.message.contains("the room is already booked") == true, "\(room?.message ?? "")")
        let patient = slotTaken { try book(link, "patient-clash", from: 29, to: 31, patient: "pt-ada") }
        #expect(patient?.message.contains("the patient already has an appointment") == true, "\(patient?.message ?? "")")
        for message in [room?.message, patient?.message].compactMap({ $0 }) {
            for value in ["rm-blue", "pt-ada", "ada-blue", "clash", "\(at(0))", "int8range", "["] {
                #expect(!message.contains(value), "\(message) shows \(value)")
            }
        }
        try book(link, "elsewhere", from: 10, to: 40, room: "rm-green", patient: "pt-bob")
        #expect(try ids(link) == ["ada-blue", "elsewhere"])

        // An exclusion constraint clinic does not know stays a constraint failure, not slot-taken.
        try link.execute("CREATE TABLE leave (staff_id text, span int8range, CONSTRAINT leave_overlap EXCLUDE USING gist (staff_id WITH =, span WITH &&))")
        try link.execute("INSERT INTO leave VALUES ('st', int8range(0, 10))")
        let other = #expect(throws: StorageError.self) { try link.execute("INSERT INTO leave VALUES ('st', int8range(5, 15))") }
        #expect(other?.code == .constraint)
        #expect(other?.message.contains("23P01") == true)
    }

    @Test("the constraints bind exactly the statuses that hold a slot in Models")
    func predicateFollowsModels() {
        #expect(AppointmentConstraints.activePredicate == "status NOT IN ('cancelled') AND in_conflict = 0")
        for resource in AppointmentConstraints.resources {
            #expect(AppointmentConstraints.resource(constraint: AppointmentConstraints.constraintName(resource)) == resource)
        }
        #expect(AppointmentConstraints.slotTaken(constraint: "leave_overlap") == nil)
    }
}
