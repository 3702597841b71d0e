import Foundation
import Models
@testable import Storage
import Testing

/// Issue 28: `doctor` checks a PostgreSQL site from its catalog as it checks a file.
@Suite("doctor on PostgreSQL")
struct PostgresDoctorTests {
    @Test("doctor passes on a fresh demo and names a dropped guard trigger, a disabled capture trigger and a dropped exclusion constraint")
    func findsWhatWasDropped() throws {
        let scratch = try ScratchPostgresDatabase("t_doctor")
        let db = try Database(location: .postgres(scratch.address), environment: scratch.cluster.adminEnvironment)
        _ = try DemoSite.create(in: db, now: testNow)
        let fresh = try Doctor(db).examine()
        #expect(fresh.filter { !$0.ok }.isEmpty, "\(fresh.filter { !$0.ok })")
        let codes = fresh.map(\.code)
        for code in ["roles", "integrity", "foreign-keys", "schema", "capture", "note-hash", "note-signature", "audit-chain", "audit-length"] {
            #expect(codes.contains(code), "\(code)")
        }
        #expect(fresh.first { $0.code == "roles" }?.message.contains("not set up") == true)
        #expect(try #require(fresh.first { $0.code == "note-hash" }).message.contains("signed note"))
        #expect(Doctor.postgresExpected.contains { $0.kind == "trigger" && $0.name == "note_signed_no_update" })
        #expect(Doctor.postgresExpected.contains { $0.kind == "constraint" })

        let admin = try scratch.link()
        defer { admin.close() }
        _ = try admin.execute("DROP TRIGGER note_signed_no_update ON clinic.note")
        var schema = try #require(try Doctor(db).examine().first { $0.code == "schema" })
        #expect(!schema.ok)
        #expect(schema.message.contains("missing trigger: note_signed_no_update"), "\(schema.message)")

        let capture = try #require(try db.first("""
            SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = 'patient'
              AND NOT t.tgisinternal AND t.tgname LIKE '%insert%' ORDER BY 1 LIMIT 1
            """)).string(0)
        _ = try admin.execute("ALTER TABLE clinic.patient DISABLE TRIGGER \(capture)")
        let constraint = try #require(Doctor.postgresExpected.first { $0.kind == "constraint" }).name
        _ = try admin.execute("ALTER TABLE clinic.appointment DROP CONSTRAINT \(constraint)")
        _ = try admin.execute("ALTER DATABASE \(scratch.name) SET clinic.applying = 'on'")
        let findings = try Doctor(db).examine()
        schema = try #require(findings.first { $0.code == "schema" })
        #expect(schema.message.contains("disabled trigger: \(capture)"), "\(schema.message)")
        #expect(schema.message.contains("missing exclusion constraint: \(constraint)"), "\(schema.message)")
        #expect(findings.first { $0.code == "capture" }?.ok == false)
    }

    @Test("doctor finds a signed note changed behind the guard and a broken audit chain")
    func findsTampering() throws {
        let scratch = try ScratchPostgresDatabase("t_doctor")
        let db = try Database(location: .postgres(scratch.address), environment: scratch.cluster.adminEnvironment)
        _ = try DemoSite.create(in: db, now: testNow)
        let admin = try scratch.link()
        defer { admin.close() }
        try admin.executeScript("""
            BEGIN; SET LOCAL session_replication_role = replica;
            UPDATE clinic.note SET plan = plan || ' (edited)' WHERE id = (SELECT min(id) FROM clinic.note WHERE status = 'signed');
            UPDATE clinic.audit SET actor = 'someone' WHERE seq = 2; COMMIT
            """)
        let findings = try Doctor(db).examine()
        #expect(findings.first { $0.code == "note-hash" }?.ok == false)
        #expect(findings.first { $0.code == "audit-chain" }?.ok == false)
        #expect(findings.first { $0.code == "schema" }?.ok == true)
    }
}
