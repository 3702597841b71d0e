import Foundation
import Models
import Testing
@testable import Storage

/// A database made for one test on the test cluster, holding `PostgresSchema` and a stub
/// `clinic.stage_change` that records each call in `clinic.test_staged`; dropped afterwards.
private final class SchemaDatabase {
    let cluster: PostgresCluster
    let name: String
    let link: PostgresLink

    init() throws {
        cluster = try PostgresCluster.shared.get()
        name = "t_schema_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try cluster.adminLink()
        defer { admin.close() }
        // CREATE DATABASE takes no bound parameters; the name is ours, made of safe characters.
        try admin.execute("CREATE DATABASE \(name)")
        link = try PostgresLink(cluster.address(user: cluster.adminUser, database: name), environment: cluster.adminEnvironment)
        for statement in PostgresSchema.setupStatements { try link.execute(statement) }
        try link.execute("CREATE TABLE clinic.test_staged (n serial PRIMARY KEY, tbl text, row_id text, grp text, vals text, prev text)")
        try link.execute("""
            CREATE FUNCTION clinic.stage_change(p_tbl text, p_row_id text, p_grp text, p_vals text, p_prev text)
            RETURNS void LANGUAGE sql AS $$
                INSERT INTO clinic.test_staged (tbl, row_id, grp, vals, prev) VALUES (p_tbl, p_row_id, p_grp, p_vals, p_prev)
            $$
            """)
    }

    /// The staged calls since the last look, oldest first, their values parsed; then forgets them.
    func staged() throws -> [(tbl: String, rowID: String, grp: String, vals: [String: String], prev: String?)] {
        let rows = try link.query("SELECT tbl, row_id, grp, vals, prev FROM clinic.test_staged ORDER BY n")
        try link.execute("DELETE FROM clinic.test_staged")
        return rows.map { row in
            let json = (try? JSONSerialization.jsonObject(with: Data(text(row[3]).utf8))) as? [String: Any] ?? [:]
            let vals = json.mapValues { $0 is NSNull ? "null" : "\($0)" }
            return (text(row[0]), text(row[1]), text(row[2]), vals, row[4] == .null ? nil : text(row[4]))
        }
    }

    /// A site, a practitioner, a patient, a room, a service and one appointment, all with id suffix `x`.
    func bookOne() throws {
        try link.execute("INSERT INTO clinic.site (id, code, name, timezone, created_at) VALUES ('site-x', 'MTL', 'Montréal', 'America/Toronto', 0)")
        try link.execute("INSERT INTO clinic.staff (id, handle, name, role, created_at) VALUES ('staff-x', 'nb', 'N B', 'clinician', 0)")
        try link.execute("""
            INSERT INTO clinic.patient (id, site_id, chart, chart_seq, first, last, dob, search, created_at)
            VALUES ('pt-x', 'site-x', 'MTL-1', 1, 'A', 'B', '1980-01-01', 'a b', 0)
            """)
        try link.execute("INSERT INTO clinic.room (id, site_id, name, kind, created_at) VALUES ('room-x', 'site-x', 'R1', 'treatment', 0)")
        try link.execute("INSERT INTO clinic.service (id, slug, name, duration_min, discipline, created_at) VALUES ('svc-x', 'dn', 'DN', 30, 'physio', 0)")
        try link.execute("""
            INSERT INTO clinic.appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, created_at, updated_at)
            VALUES ('appt-x', 'pt-x', 'staff-x', 'room-x', 'svc-x', 1000, 2000, 'booked', 0, 0)
            """)
    }

    deinit {
        link.close()
        if let admin = try? cluster.adminLink() {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            admin.close()
        }
    }
}

private func text(_ value: PostgresValue) -> String {
    switch value {
    case .text(let text): return text
    case .integer(let number): return String(number)
    case .real(let number): return String(number)
    case .blob, .null: return ""
    }
}

/// The message of what `body` threw, or nil.
private func refusal(_ body: () throws -> Void) -> String? {
    do { try body() } catch { return "\(error)" }
    return nil
}

@Suite("The PostgreSQL schema at the current version", .timeLimit(.minutes(1)))
struct PostgresSchemaTests {
    @Test("the script applies to a fresh database and records schema 17, the SQLite schema's version")
    func appliesCleanly() throws {
        let database = try SchemaDatabase()
        #expect(try database.link.query("SELECT version FROM clinic.schema_version") == [[.integer(17)]])
        #expect(PostgresSchema.version == Migrations.latest)
        let extensions = try database.link.query("SELECT extname::text FROM pg_extension WHERE extname IN ('unaccent', 'btree_gist') ORDER BY 1")
        #expect(extensions == [[.text("btree_gist")], [.text("unaccent")]])
    }

    @Test("every SQLite table at schema 17 has its columns on PostgreSQL, of the same type family, and no more")
    func parity() throws {
        let file = TemporaryDatabase()
        let sqlite = try Database(path: file.path, migrate: false)
        try Migrator.clinic.migrate(sqlite, to: 17)
        let skipped = ["sqlite_sequence", "change_staging"]  // change_staging is PostgresCapture's (UNLOGGED, keyed by transaction)
        let tables = try sqlite.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map { $0.string(0) }
            .filter { !skipped.contains($0) && !($0.hasPrefix("note_text_")) }
        func family(_ declared: String) -> String {
            switch declared.lowercased() {
            case "integer", "bigint": return "integer"
            case "text": return "text"
            case "real", "double precision": return "real"
            case "": return "untyped"
            default: return declared
            }
        }
        var sqliteColumns: [String: [String: String]] = [:]
        for table in tables {
            for row in try sqlite.query("SELECT name, type FROM pragma_table_info(?)", [table]) {
                sqliteColumns[table, default: [:]][row.string(0)] = family(row.string(1))
            }
        }
        let database = try SchemaDatabase()
        var pgColumns: [String: [String: String]] = [:]
        for row in try database.link.query("""
            SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = 'clinic' AND table_name NOT IN ('schema_version', 'test_staged')
            """) {
            pgColumns[text(row[0]), default: [:]][text(row[1])] = family(text(row[2]))
        }
        #expect(Set(pgColumns.keys) == Set(tables))
        for table in tables {
            let extra = PostgresSchema.extraColumns[table] ?? []
            let pg = (pgColumns[table] ?? [:]).filter { !extra.contains($0.key) }
            let lite = sqliteColumns[table] ?? [:]
            #expect(Set(pg.keys) == Set(lite.keys), "columns of \(table)")
            for (column, kind) in lite where kind != "untyped" {
                #expect(pg[column] == kind, "type of \(table).\(column)")
            }
            for column in extra { #expect(pgColumns[table]?[column] != nil, "\(table).\(column)") }
        }
        // The indexes too: every SQLite index (not an automatic one) by name.
        let sqliteIndexes = try sqlite.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").map { $0.string(0) }
        let pgIndexes = Set(try database.link.query("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'clinic'").map { text($0[0]) })
        for index in sqliteIndexes { #expect(pgIndexes.contains(index), "index \(index)") }
    }

    @Test("a signed note refuses an update with SQLite's text under SQLSTATE CL001, except while sync applies")
    func signedNoteGuard() throws {
        let database = try SchemaDatabase()
        let link = database.link
        try database.bookOne()
        try link.execute("""
            INSERT INTO clinic.note (id, appointment_id, patient_id, author_id, session_date, subjective, created_at, updated_at)
            VALUES ('note-x', 'appt-x', 'pt-x', 'staff-x', '2026-03-02', $1, 0, 0)
            """, [.text("Douleur à l'épaule droite")])
        // note_text follows the note, unaccented: "epaule" finds "épaule".
        let found = try link.query("SELECT note_id FROM clinic.note_text WHERE search @@ to_tsquery('simple', clinic.unaccent_text('epaule'))")
        #expect(found == [[.text("note-x")]])
        try link.execute("UPDATE clinic.note SET status = 'signed', signed_by = 'staff-x', signed_at = 1 WHERE id = 'note-x'")
        let refused = refusal { try link.execute("UPDATE clinic.note SET plan = 'changed' WHERE id = 'note-x'") }
        // Read as SQLite's trigger refusal reads, with the state kept on the error.
        #expect(refused == "constraint: a database constraint refused the change (note-signed: a signed note cannot be changed)")
        let state = #expect(throws: StorageError.self) { try link.execute("UPDATE clinic.note SET plan = 'changed' WHERE id = 'note-x'") }
        #expect(state?.sqlState == "CL001")
        let deleted = refusal { try link.execute("DELETE FROM clinic.note WHERE id = 'note-x'") }
        #expect(deleted?.contains("note-signed: a signed note cannot be deleted") == true)
        let needle = refusal {
            try link.execute("INSERT INTO clinic.needling (id, note_id, side, count, created_at) VALUES ('n1', 'note-x', 'left', 1, 0)")
        }
        #expect(needle?.contains("note-signed: a signed note cannot be changed") == true)
        #expect(refusal { try link.execute("DELETE FROM clinic.audit") } == nil)  // nothing to delete: no row, no trigger
        try link.execute("SET clinic.applying = 'on'")
        #expect(try link.execute("UPDATE clinic.note SET plan = 'the winning signature' WHERE id = 'note-x'") == 1)
        try link.execute("RESET clinic.applying")
        #expect(refusal { try link.execute("UPDATE clinic.note SET plan = 'again' WHERE id = 'note-x'") } != nil)
    }

    @Test("capture triggers stage an insert's groups, one changed group's values and previous change, and a delete")
    func captureTriggers() throws {
        let database = try SchemaDatabase()
        let link = database.link
        try link.execute("INSERT INTO clinic.staff (id, handle, name, role, created_at) VALUES ('staff-x', 'nb', 'N B', 'clinician', 5)")
        let inserted = try database.staged()
        #expect(inserted.map(\.grp) == ["details", "access"])
        #expect(inserted.allSatisfy { $0.tbl == "staff" && $0.rowID == "staff-x" && $0.prev == nil })
        #expect(inserted.first?.vals == ["created_at": "5", "discipline": "null", "handle": "nb", "name": "N B", "role": "clinician"])
        #expect(inserted.last?.vals == ["active": "1", "roles": "null"])

        try link.execute("""
            INSERT INTO clinic.change (change_id, origin, hlc, tbl, row_id, grp, vals)
            VALUES ('chg-1', 'MTL', 7, 'staff', 'staff-x', 'access', '{}')
            """)
        try link.execute("UPDATE clinic.staff SET active = 0 WHERE id = 'staff-x'")
        let updated = try database.staged()
        #expect(updated.count == 1)
        #expect(updated.first?.grp == "access")
        #expect(updated.first?.vals == ["active": "0", "roles": "null"])
        #expect(updated.first?.prev == "chg-1")

        try link.execute("UPDATE clinic.staff SET active = 0, name = 'N B' WHERE id = 'staff-x'")
        #expect(try database.staged().isEmpty)  // nothing DISTINCT FROM before: nothing captured

        try link.execute("SET clinic.applying = 'on'")
        try link.execute("UPDATE clinic.staff SET name = 'applied' WHERE id = 'staff-x'")
        #expect(try database.staged().isEmpty)
        try link.execute("RESET clinic.applying")

        try link.execute("DELETE FROM clinic.staff WHERE id = 'staff-x'")
        let deleted = try database.staged()
        #expect(deleted.count == 1)
        #expect(deleted.first?.grp == "_deleted")
        #expect(deleted.first?.vals == [:])
    }

    @Test("appointment keeps its exclusion constraints: an overlapping booking is slot-taken")
    func exclusionConstraint() throws {
        let database = try SchemaDatabase()
        let link = database.link
        let names = try link.query("""
            SELECT conname::text FROM pg_constraint WHERE contype = 'x' AND conrelid = 'clinic.appointment'::regclass ORDER BY 1
            """).map { text($0[0]) }
        #expect(names == AppointmentConstraints.resources.map(AppointmentConstraints.constraintName).sorted())
        try database.bookOne()
        let clash = refusal {
            try link.execute("""
                INSERT INTO clinic.appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, created_at, updated_at)
                VALUES ('appt-y', 'pt-x', 'staff-x', 'room-x', 'svc-x', 1500, 2500, 'booked', 0, 0)
                """)
        }
        #expect(clash?.contains("in an overlapping interval") == true)
    }
}
