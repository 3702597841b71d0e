import Foundation
import Models
@testable import Storage
import Testing

/// Issue 28: on a PostgreSQL demo, signed notes, amendments, consents and the audit log are append-only
/// by trigger, as on SQLite: even the owner, writing by hand, is refused with SQLSTATE CL001.
@Suite("clinical records on PostgreSQL")
struct PostgresClinicalRecordTests {
    @Test("a signed note, an amendment, a consent and an audit entry cannot be changed or deleted by hand")
    func appendOnly() throws {
        let scratch = try ScratchPostgresDatabase("t_records")
        let db = try Database(location: .postgres(scratch.address), environment: scratch.cluster.adminEnvironment)
        _ = try DemoSite.create(in: db, now: testNow)
        let link = try scratch.link()
        defer { link.close() }
        let statements = [
            "UPDATE clinic.note SET plan = 'changed' WHERE status = 'signed'",
            "DELETE FROM clinic.note WHERE status = 'signed'",
            "UPDATE clinic.amendment SET text = 'changed'",
            "DELETE FROM clinic.amendment",
            "UPDATE clinic.consent SET risks = 'changed'",
            "DELETE FROM clinic.consent",
            "UPDATE clinic.audit SET actor = 'someone'",
            "DELETE FROM clinic.audit",
        ]
        for table in ["note WHERE status = 'signed'", "amendment", "consent", "audit"] {
            #expect(try db.first("SELECT count(*) FROM clinic.\(table)")?.int(0) ?? 0 > 0, "\(table)")
        }
        for statement in statements {
            let refused = #expect(throws: StorageError.self, "\(statement)") { _ = try link.execute(statement) }
            #expect(refused?.sqlState == PostgresSchema.guardState, "\(statement)")
        }
        #expect(try Doctor(db).examine().allSatisfy(\.ok))
    }
}
