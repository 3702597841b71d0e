import Foundation
import Models
import Testing
@testable import Storage

/// A database made for one test on the test cluster: `PostgresCapture`'s DDL, SQLite-shaped `change`
/// and `audit` tables (the full schema's job, so made here), and one synced table `clinic.item` whose
/// capture trigger stages its writes. Dropped afterwards.
private final class CaptureDatabase: @unchecked Sendable {
    let cluster: PostgresCluster
    let name: String
    static let origin = "ONE"

    init() throws {
        cluster = try PostgresCluster.shared.get()
        name = "clinic_seal_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try cluster.adminLink()
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)") // the name is ours, of safe characters
        let link = try self.link()
        defer { link.close() }
        for statement in PostgresCapture.setupStatements + Self.testSchema { try link.execute(statement) }
    }

    static let testSchema = [
        """
        CREATE TABLE clinic.change (
            seq bigserial PRIMARY KEY, change_id text NOT NULL, origin text NOT NULL, hlc bigint NOT NULL, tbl text NOT NULL,
            row_id text NOT NULL, grp text NOT NULL, vals text NOT NULL, prev text)
        """,
        "CREATE INDEX change_origin ON clinic.change (origin, hlc)",
        """
        CREATE TABLE clinic.audit (
            seq bigserial PRIMARY KEY, at bigint NOT NULL, actor text NOT NULL, action text NOT NULL, entity text NOT NULL,
            entity_id text, patient_id text, outcome text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL)
        """,
        "CREATE TABLE clinic.item (id text PRIMARY KEY, name text NOT NULL, weight double precision)",
        // Compact JSON, as SQLite's json_object writes it (json_build_object's text has spaces).
        """
        CREATE FUNCTION clinic.item_capture() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM clinic.stage_change('item', NEW.id, 'main',
                '{"name":' || to_json(NEW.name)::text || ',"weight":' || coalesce(NEW.weight::text, 'null') || '}', NULL);
            RETURN NEW;
        END
        $$
        """,
        "CREATE TRIGGER item_capture AFTER INSERT OR UPDATE ON clinic.item FOR EACH ROW EXECUTE FUNCTION clinic.item_capture()",
        // The negative control's tick: the same clock, no commit lock.
        """
        CREATE FUNCTION clinic.commit_tick_unlocked(now_ms bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE last bigint; stamp bigint;
        BEGIN
            SELECT last_value INTO last FROM clinic.hlc_clock;
            stamp := greatest(last + 1, now_ms << 16);
            PERFORM setval('clinic.hlc_clock', stamp, true);
            RETURN stamp;
        END
        $$
        """,
    ]

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

private func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func with<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

/// The outcome of a race: every change at the end, and what each incremental export read.
private struct RaceOutcome {
    var all: [(id: String, hlc: Int64)]
    var reads: [[(id: String, hlc: Int64)]]
    var failures: [String]
    var lockHeld: [UInt64]
    var elapsed: Duration

    /// Changes no export read (the union of the reads is short of them).
    var skipped: Set<String> { Set(all.map(\.id)).subtracting(reads.flatMap { $0.map(\.id) }) }

    /// Exports after which some change at or below the vector they advertised had not been sent.
    var notPrefixClosed: [Int] {
        var sent = Set<String>()
        var vector: Int64 = 0
        var bad: [Int] = []
        for (index, read) in reads.enumerated() {
            sent.formUnion(read.map(\.id))
            vector = max(vector, read.map(\.hlc).max() ?? 0)
            if all.contains(where: { $0.hlc <= vector && !sent.contains($0.id) }) { bad.append(index) }
        }
        return bad
    }
}

/// `writers` threads each seal `writes` transactions of one insert into `clinic.item` (each its own
/// connection), sleeping `delay` (0 to maxDelayMs, random) between the tick and COMMIT, while an
/// exporter reads "changes of the origin with hlc > the last max it saw" until they stop, and once more.
private func race(_ database: CaptureDatabase, writers: Int, writes: Int, maxDelayMs: Int, locked: Bool, export: Bool = true) throws -> RaceOutcome {
    let failures = Locked<[String]>([])
    let lockHeld = Locked<[UInt64]>([])
    let running = Locked(true)
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    let tick = locked ? "clinic.commit_tick" : "clinic.commit_tick_unlocked"
    for writer in 0..<writers {
        finished.enter()
        Thread.detachNewThread {
            defer { finished.leave() }
            guard let link = try? database.link() else {
                failures.with { $0.append("writer \(writer) cannot connect") }
                ready.signal()
                return
            }
            defer { link.close() }
            ready.signal()
            go.wait()
            for write in 0..<writes {
                do {
                    let sealed = try PostgresChangeSeal.transaction(link: link, origin: CaptureDatabase.origin, now: nowMillis, tick: tick, afterTick: {
                        if maxDelayMs > 0 { usleep(UInt32.random(in: 0...UInt32(maxDelayMs * 1000))) }
                    }) { link in
                        try link.execute("INSERT INTO clinic.item (id, name) VALUES ($1, $2)", [.text("w\(writer)-\(write)"), .text("item \(write)")])
                        try link.execute("SELECT clinic.audit_append($1, $2, 'item.add', 'item', $3, NULL, 'ok')",
                                         [.integer(nowMillis()), .text("writer-\(writer)"), .text("w\(writer)-\(write)")])
                    }
                    lockHeld.with { $0.append(sealed.lockHeldNanoseconds) }
                } catch {
                    failures.with { $0.append("writer \(writer): \(error)") }
                }
            }
        }
    }
    for _ in 0..<writers { ready.wait() }
    let exporter = try database.link()
    defer { exporter.close() }
    var reads: [[(id: String, hlc: Int64)]] = []
    var last: Int64 = 0
    func exportOnce() throws {
        let rows = try exporter.query("SELECT change_id, hlc FROM clinic.change WHERE origin = $1 AND hlc > $2 ORDER BY hlc",
                                      [.text(CaptureDatabase.origin), .integer(last)])
        let read = rows.compactMap { row -> (id: String, hlc: Int64)? in
            guard case .text(let id) = row[0], case .integer(let hlc) = row[1] else { return nil }
            return (id, hlc)
        }
        last = max(last, read.map(\.hlc).max() ?? 0)
        reads.append(read)
    }
    let clock = ContinuousClock()
    let started = clock.now
    Thread.detachNewThread {
        finished.wait()
        running.with { $0 = false }
    }
    for _ in 0..<writers { go.signal() }
    while running.with({ $0 }) {
        if export { try exportOnce() } else { usleep(1000) }
    }
    let elapsed = clock.now - started
    try exportOnce()
    let all = try exporter.query("SELECT change_id, hlc FROM clinic.change ORDER BY hlc").compactMap { row -> (id: String, hlc: Int64)? in
        guard case .text(let id) = row[0], case .integer(let hlc) = row[1] else { return nil }
        return (id, hlc)
    }
    return RaceOutcome(all: all, reads: reads, failures: failures.with { $0 }, lockHeld: lockHeld.with { $0 }, elapsed: elapsed)
}

/// The audit entries whose links do not hold, checked with Swift's `AuditLog.hash`.
private func brokenLinks(_ link: PostgresLink) throws -> [Int64] {
    var previous = AuditLog.genesis
    var broken: [Int64] = []
    for row in try link.query("SELECT seq, at, actor, action, entity, entity_id, patient_id, outcome, prev_hash, hash FROM clinic.audit ORDER BY seq") {
        func text(_ value: PostgresValue) -> String? { if case .text(let text) = value { return text } else { return nil } }
        guard case .integer(let seq) = row[0], case .integer(let at) = row[1] else { return [-1] }
        let expected = AuditLog.hash(previous: previous, at: at, actor: text(row[2]) ?? "", action: text(row[3]) ?? "", entity: text(row[4]) ?? "",
                                     entityID: text(row[5]), patientID: text(row[6]), outcome: text(row[7]) ?? "")
        if text(row[8]) != previous || text(row[9]) != expected { broken.append(seq) }
        previous = text(row[9]) ?? ""
    }
    return broken
}

private func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%.2f ms", Double(nanoseconds) / 1e6) }

@Suite("PostgreSQL seals changes in commit order", .serialized, .timeLimit(.minutes(2)))
struct CommitOrderRaceTests {
    @Test("8 writers, later stamps committing first: an incremental exporter skips nothing and every read is prefix-closed")
    func noChangeSkipped() throws {
        let database = try CaptureDatabase()
        let outcome = try race(database, writers: 8, writes: 8, maxDelayMs: 15, locked: true)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.all.count == 64)
        #expect(Set(outcome.all.map(\.hlc)).count == 64, "one stamp per transaction")
        #expect(outcome.skipped.isEmpty, "skipped \(outcome.skipped.count)")
        #expect(outcome.notPrefixClosed.isEmpty, "reads not prefix-closed: \(outcome.notPrefixClosed)")
        #expect(outcome.reads.count > 2, "the exporter ran while the writers did")
        let link = try database.link()
        defer { link.close() }
        #expect(try brokenLinks(link).isEmpty, "the audit chain is one line")
        #expect(try link.query("SELECT count(*) FROM clinic.audit") == [[64]])
        print("commit-order race: \(outcome.reads.count) exports over \(outcome.elapsed), 64 changes, none skipped")
    }

    @Test("Negative control: the same race without the commit lock makes the exporter skip changes")
    func skipsWithoutTheLock() throws {
        let database = try CaptureDatabase()
        let outcome = try race(database, writers: 8, writes: 8, maxDelayMs: 30, locked: false)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.all.count == 64)
        #expect(!outcome.skipped.isEmpty, "without the lock a change stamped earlier commits later and is skipped")
        #expect(!outcome.notPrefixClosed.isEmpty)
        print("negative control: \(outcome.skipped.count) of 64 changes skipped, \(outcome.notPrefixClosed.count) of \(outcome.reads.count) reads not prefix-closed")
    }

    @Test("A write to a synced table that is not sealed (psql's) is refused at COMMIT, and nothing of it stays")
    func unsealedCommitRefused() throws {
        let database = try CaptureDatabase()
        let link = try database.link()
        defer { link.close() }
        let error = #expect(throws: StorageError.self) {
            try link.transaction { link in
                try link.execute("INSERT INTO clinic.item (id, name) VALUES ('a', 'psql')")
            }
        }
        #expect(error?.message.contains("synced tables are written through clinic") == true, "\(String(describing: error))")
        #expect(try link.query("SELECT count(*) FROM clinic.item") == [[0]])
        #expect(try link.query("SELECT count(*) FROM clinic.change_staging") == [[0]])
        // Sealed, the same write commits with its change.
        try PostgresChangeSeal.transaction(link: link, origin: CaptureDatabase.origin) { link in
            try link.execute("INSERT INTO clinic.item (id, name) VALUES ('a', 'clinic')")
        }
        #expect(try link.query("SELECT count(*) FROM clinic.item") == [[1]])
        #expect(try link.query("SELECT count(*) FROM clinic.change") == [[1]])
        #expect(try link.query("SELECT count(*) FROM clinic.capture_tx") == [[0]])
    }

    @Test("A transaction left open after writing does not block another writer's seal and commit")
    func openWriterBlocksNobody() throws {
        let database = try CaptureDatabase()
        let idle = try database.link()
        defer { idle.close() }
        try idle.execute("BEGIN")
        try idle.execute("INSERT INTO clinic.item (id, name) VALUES ('idle', 'left open')")
        let other = try database.link()
        defer { other.close() }
        try other.execute("SET lock_timeout = '2s'")
        let clock = ContinuousClock()
        let started = clock.now
        let sealed = try PostgresChangeSeal.transaction(link: other, origin: CaptureDatabase.origin) { link in
            try link.execute("INSERT INTO clinic.item (id, name) VALUES ('busy', 'committed')")
        }
        #expect(clock.now - started < .seconds(1))
        #expect(sealed.changes == 1)
        #expect(try other.query("SELECT row_id FROM clinic.change") == [["busy"]])
        try idle.execute("ROLLBACK")
    }

    @Test("The seal keeps a transaction's last write per field group, with ChangeCapture's canonical values and Change.id")
    func sealMatchesSwiftIDs() throws {
        let database = try CaptureDatabase()
        let link = try database.link()
        defer { link.close() }
        let sealed = try PostgresChangeSeal.transaction(link: link, origin: CaptureDatabase.origin, now: { 1_772_442_000_000 }) { link in
            try link.execute("INSERT INTO clinic.item (id, name, weight) VALUES ('x', 'first', 1)")
            try link.execute("UPDATE clinic.item SET name = 'second \"quoted\"', weight = 2.5 WHERE id = 'x'")
            try link.execute("INSERT INTO clinic.item (id, name) VALUES ('y', 'only')")
        }
        #expect(sealed.changes == 2)
        #expect(sealed.hlc == HLC(physical: 1_772_442_000_000, counter: 0))
        let rows = try link.query("SELECT change_id, hlc, row_id, vals FROM clinic.change ORDER BY seq")
        #expect(rows.count == 2)
        let x = Change(origin: CaptureDatabase.origin, hlc: sealed.hlc!, table: "item", rowID: "x", group: "main",
                       values: ["name": .string("second \"quoted\""), "weight": .decimal(2.5)], previous: nil)
        #expect(rows.first == [.text(x.id), .integer(sealed.hlc!.rawValue), "x", .text(JSONValue.object(x.values).canonical)])
        // The next transaction in the same millisecond ticks the counter, as HLC.tick does.
        let next = try PostgresChangeSeal.transaction(link: link, origin: CaptureDatabase.origin, now: { 1_772_442_000_000 }) { link in
            try link.execute("UPDATE clinic.item SET name = 'third' WHERE id = 'y'")
        }
        #expect(next.hlc == sealed.hlc!.tick(now: 1_772_442_000_000))
    }

    @Test("The audit chain sealed at COMMIT in plpgsql hashes as AuditLog.hash does, awkward characters and nulls included")
    func auditChainMatchesSwift() throws {
        let database = try CaptureDatabase()
        let link = try database.link()
        defer { link.close() }
        let entries: [(actor: String, entity: String, entityID: String?, patientID: String?)] = [
            ("admin", "patient", "P-1", "P-1"),
            ("front desk", "note", nil, nil),
            ("quote \" back\\slash \u{1} bell \u{8} ff \u{c} nl \n tab \t é ✓", "note", "n/1", "P-2"),
        ]
        try link.transaction { link in
            for (index, entry) in entries.enumerated() {
                try link.execute("SELECT clinic.audit_append($1, $2, 'note.read', $3, $4, $5, 'ok')",
                                 [.integer(1_772_442_000_000 + Int64(index)), .text(entry.actor), .text(entry.entity),
                                  entry.entityID.map(PostgresValue.text) ?? .null, entry.patientID.map(PostgresValue.text) ?? .null])
            }
            #expect(try link.query("SELECT count(*) FROM clinic.audit") == [[0]], "entries wait for COMMIT")
        }
        // A read-only transaction's entries (a psql read) are chained too, after the first ones.
        try link.execute("SELECT clinic.audit_append(1772442000009, 'psql', 'note.read', 'note', 'n/2', NULL, 'ok')")
        var previous = AuditLog.genesis
        var expected: [String] = []
        for (index, entry) in entries.enumerated() {
            previous = AuditLog.hash(previous: previous, at: 1_772_442_000_000 + Int64(index), actor: entry.actor, action: "note.read",
                                     entity: entry.entity, entityID: entry.entityID, patientID: entry.patientID, outcome: "ok")
            expected.append(previous)
        }
        expected.append(AuditLog.hash(previous: previous, at: 1_772_442_000_009, actor: "psql", action: "note.read", entity: "note",
                                      entityID: "n/2", patientID: nil, outcome: "ok"))
        let hashes = try link.query("SELECT hash FROM clinic.audit ORDER BY seq").map { $0[0] }
        #expect(hashes == expected.map(PostgresValue.text))
        #expect(try brokenLinks(link).isEmpty)
        #expect(try link.query("SELECT count(*) FROM clinic.audit_pending") == [[0]])
        #expect(try link.query("SELECT count(*) FROM clinic.capture_tx") == [[0]])
    }

    @Test("Measure: commit-lock hold time and 8-writer against 1-writer throughput (log only)")
    func measure() throws {
        let one = try race(CaptureDatabase(), writers: 1, writes: 160, maxDelayMs: 0, locked: true, export: false)
        let eight = try race(CaptureDatabase(), writers: 8, writes: 20, maxDelayMs: 0, locked: true, export: false)
        #expect(one.failures.isEmpty && eight.failures.isEmpty, "\(one.failures) \(eight.failures)")
        #expect(one.all.count == 160 && eight.all.count == 160)
        func perSecond(_ outcome: RaceOutcome) -> Double {
            let seconds = Double(outcome.elapsed.components.seconds) + Double(outcome.elapsed.components.attoseconds) / 1e18
            return 160 / seconds
        }
        func median(_ values: [UInt64]) -> UInt64 { values.sorted()[values.count / 2] }
        print(String(format: "seal throughput: 1 writer %.0f tx/s, 8 writers %.0f tx/s (%.2fx)", perSecond(one), perSecond(eight), perSecond(eight) / perSecond(one)))
        print("commit lock held (tick answered → COMMIT answered), median: 1 writer \(milliseconds(median(one.lockHeld))), 8 writers \(milliseconds(median(eight.lockHeld)))")
    }
}
