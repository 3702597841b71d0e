import Foundation
import Models
import Testing
@testable import Storage

/// A clinic database on PostgreSQL as `clinic init` opens it (`Database(location:)`).
@Suite("A clinic database on PostgreSQL", .timeLimit(.minutes(1)))
struct PostgresClinicTests {
    private func clinic(_ scratch: ScratchPostgresDatabase, create: Bool = true) throws -> Database {
        try Database(location: .postgres(scratch.address), create: create, environment: scratch.cluster.adminEnvironment, warn: { _ in })
    }

    @Test("init sets up an empty database only: a foreign table or schema is refused and nothing is made")
    func emptyOnly() throws {
        for foreign in ["CREATE TABLE public.other (x int)", "CREATE SCHEMA clinic", "CREATE SCHEMA someone_elses"] {
            let scratch = try ScratchPostgresDatabase()
            let link = try scratch.link()
            try link.execute(foreign)
            #expect(errorCode { _ = try clinic(scratch) } == "already-initialised", "\(foreign)")
            #expect(try link.query("SELECT to_regclass('clinic.patient') IS NULL") == [[.integer(1)]])
            link.close()
        }
        let scratch = try ScratchPostgresDatabase()
        #expect(errorCode { _ = try clinic(scratch, create: false) } == "not-initialised")
        _ = try clinic(scratch)
        #expect(try clinic(scratch, create: false).schemaVersion() == Migrations.latest)
    }

    @Test("a fresh database holds the same first rows on both engines (the clock, the settings, the longest booking)")
    func firstRows() throws {
        let sqlite = try Database(path: ":memory:")
        let scratch = try ScratchPostgresDatabase()
        let postgres = try clinic(scratch)
        let tables = try sqlite.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'note_text%'")
            .map { $0.string(0) }
        var seeded: [String] = []
        for table in tables where try sqlite.first("SELECT count(*) FROM \(table)")?.int(0) ?? 0 > 0 {
            seeded.append(table)
            #expect(try postgres.first("SELECT count(*) FROM \(table)")?.int(0) == sqlite.first("SELECT count(*) FROM \(table)")?.int(0), "\(table)")
        }
        #expect(seeded.contains("schedule_bound"))
        #expect(try postgres.first("SELECT value FROM schedule_bound WHERE key = 'max_duration_ms'")?.int(0) == 0)
    }

    @Test("a statement waiting for a lock gives up after lock_timeout and the write runs again: a short hold is waited out")
    func lockTimeout() throws {
        let scratch = try ScratchPostgresDatabase()
        let db = try clinic(scratch)
        #expect(try db.first("SHOW lock_timeout")?.string(0) == "\(PostgresBackend.lockTimeoutMilliseconds)ms")
        // psql holds the table for 1.5 × the timeout: the first attempt times out, a later one gets through.
        let holder = try scratch.link()
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE clinic.room IN ACCESS EXCLUSIVE MODE")
        let release = DispatchWorkItem { _ = try? holder.execute("COMMIT") }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(PostgresBackend.lockTimeoutMilliseconds * 3 / 2), execute: release)
        var attempts = 0
        try db.write { db in
            attempts += 1
            _ = try db.query("SELECT count(*) FROM room")
        }
        #expect(attempts >= 2)
        release.wait()
        holder.close()
    }

    @Test("20 writers adding patients at once on PostgreSQL get 20 different chart numbers")
    func chartNumbers() throws {
        let scratch = try ScratchPostgresDatabase()
        let first = try clinic(scratch)
        _ = try first.write { try SiteRepository($0).createLocal(code: "MTL", name: "Montréal", timeZone: "America/Toronto", now: testNow) }
        let charts = Charts()
        let group = DispatchGroup()
        for k in 0..<20 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let db = try clinic(scratch, create: false)
                    let patient = try PatientRepository(db).add(.init(first: "Ana\(k)", last: "Silva", dateOfBirth: testToday.adding(days: -12_000)),
                                                                now: testNow, today: testToday)
                    charts.add(patient.chart)
                } catch {
                    charts.add("error: \(error)")
                }
            }
        }
        group.wait()
        #expect(charts.all.filter { $0.hasPrefix("error") }.isEmpty, "\(charts.all)")
        #expect(Set(charts.all).count == 20)
    }
}

private final class Charts: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var all: [String] = []
    func add(_ chart: String) { lock.lock(); all.append(chart); lock.unlock() }
}
