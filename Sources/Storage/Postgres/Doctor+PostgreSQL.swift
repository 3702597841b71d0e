import Foundation
import Models

/// `doctor`'s checks that read PostgreSQL's catalog where SQLite's read `sqlite_schema` and PRAGMAs.
extension Doctor {
    /// What `init` makes, by kind and name, read from its own statements (`PostgresMigrator.setupStatements`),
    /// so the list is never written twice.
    static let postgresExpected: [(kind: String, name: String)] = {
        let patterns = [
            ("table", #"^CREATE (?:UNLOGGED )?TABLE (?:clinic\.)?([a-z_0-9]+)"#),
            ("trigger", #"^CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER ([a-z_0-9]+)"#),
            ("index", #"^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?([a-z_0-9]+)"#),
            ("function", #"^CREATE (?:OR REPLACE )?FUNCTION clinic\.([a-z_0-9]+)"#),
            ("constraint", #"ADD CONSTRAINT ([a-z_0-9]+)\s+EXCLUDE"#),
        ]
        var found: [(kind: String, name: String)] = []
        for statement in PostgresMigrator.setupStatements {
            let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            for (kind, pattern) in patterns {
                let expression = try! NSRegularExpression(pattern: pattern)
                for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text) { found.append((kind, String(text[range]))) }
                }
            }
        }
        return found
    }()

    /// What schema `clinic` lacks of what `init` makes: tables, exclusion constraints, functions, triggers
    /// (a trigger switched off counts as missing: it guards or captures nothing), indexes. Guard
    /// triggers keep signed notes, amendments, consents and the audit log append-only; capture triggers
    /// send changes to other sites. Triggers `init` does not make are named too.
    func postgresSchemaDifferences() throws -> [String] {
        let present = Set(try db.query("""
            SELECT 'table', c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'clinic' AND c.relkind IN ('r', 'p')
            UNION ALL SELECT 'index', c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'clinic' AND c.relkind = 'i'
            UNION ALL SELECT 'function', p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace s ON s.oid = p.pronamespace
                WHERE s.nspname = 'clinic'
            UNION ALL SELECT 'constraint', k.conname FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace s ON s.oid = k.connamespace
                WHERE s.nspname = 'clinic' AND k.contype = 'x'
            UNION ALL SELECT 'trigger', t.tgname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'clinic' AND NOT t.tgisinternal AND t.tgenabled <> 'D'
            """).map { "\($0.string(0)) \($0.string(1))" })
        let disabled = try db.query("""
            SELECT t.tgname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'clinic' AND NOT t.tgisinternal AND t.tgenabled = 'D' ORDER BY 1
            """).map { $0.string(0) }
        let expected = Self.postgresExpected
        func missing(_ kind: String) -> [String] {
            Array(Set(expected.filter { $0.kind == kind && !present.contains("\(kind) \($0.name)") && !disabled.contains($0.name) }.map(\.name))).sorted()
        }
        func list(_ label: String, _ names: [String], plural: String? = nil) -> [String] {
            names.isEmpty ? [] : ["\(names.count == 1 ? label : plural ?? label + "s"): \(names.joined(separator: ", "))"]
        }
        let knownTriggers = Set(expected.filter { $0.kind == "trigger" }.map(\.name))
        let unexpected = present.filter { $0.hasPrefix("trigger ") }.map { String($0.dropFirst("trigger ".count)) }.filter { !knownTriggers.contains($0) }
        return list("missing table", missing("table"))
            + list("missing exclusion constraint", missing("constraint"))
            + list("missing function", missing("function"))
            + list("missing trigger", missing("trigger"))
            + list("disabled trigger", disabled)
            + list("unexpected trigger", unexpected.sorted())
            + list("missing index", missing("index"), plural: "missing indexes")
    }

    /// PostgreSQL keeps its own pages and enforces every reference as it is written, so what is left to
    /// check is that no foreign key was added unchecked (`NOT VALID`) or switched off with its trigger.
    func postgresIntegrity() throws -> [Finding] {
        let unchecked = try db.query("""
            SELECT k.conname FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace s ON s.oid = k.connamespace
            WHERE s.nspname = 'clinic' AND k.contype = 'f' AND NOT k.convalidated ORDER BY 1
            """).map { $0.string(0) }
        let switchedOff = try db.first("""
            SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_constraint k ON k.oid = t.tgconstraint
            JOIN pg_catalog.pg_namespace s ON s.oid = k.connamespace
            WHERE s.nspname = 'clinic' AND k.contype = 'f' AND t.tgenabled = 'D'
            """)?.int(0) ?? 0
        let ok = unchecked.isEmpty && switchedOff == 0
        return [
            Finding(code: "integrity", ok: true, message: "not checked here: the PostgreSQL server checks its own pages (data checksums, amcheck)"),
            Finding(code: "foreign-keys", ok: ok,
                    message: ok ? "every reference is enforced by the server"
                        : ([unchecked.isEmpty ? nil : "references not checked (NOT VALID): \(unchecked.joined(separator: ", "))",
                            switchedOff == 0 ? nil : "\(switchedOff) reference trigger\(switchedOff == 1 ? " is" : "s are") switched off"]
                            .compactMap { $0 }.joined(separator: "; "))),
        ]
    }

    /// On PostgreSQL "applying a received change" is the transaction's own setting `clinic.applying`; set
    /// for the database or a role (`ALTER DATABASE/ROLE … SET`), it would switch capture off for every session.
    func postgresCapture() throws -> Finding {
        let set = try db.query("""
            SELECT coalesce(r.rolname, 'every role') FROM pg_catalog.pg_db_role_setting d
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = d.setrole
            WHERE d.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))
              AND EXISTS (SELECT 1 FROM unnest(d.setconfig) c WHERE lower(c) LIKE 'clinic.applying=%' AND lower(c) NOT IN ('clinic.applying=off', 'clinic.applying='))
            ORDER BY 1
            """).map { $0.string(0) }
        return Finding(code: "capture", ok: set.isEmpty,
                       message: set.isEmpty ? "changes are captured for the other sites"
                           : "change capture is switched off by a stored setting clinic.applying (for \(set.joined(separator: ", "))): local changes are not sent to other sites")
    }

    /// Roles and grants, once `PostgresAccess` has made them (schema `clinic` owned by `<db>_owner`): PUBLIC
    /// holds nothing on the schema's tables, each group role holds the table privileges its tiers need, and
    /// the desk holds none on clinical content. `init` does not apply them yet: then this says so.
    func postgresRoles() throws -> [Finding] {
        guard let row = try db.first("""
            SELECT current_database(), r.rolname FROM pg_catalog.pg_namespace s JOIN pg_catalog.pg_roles r ON r.oid = s.nspowner
            WHERE s.nspname = 'clinic'
            """) else { return [Finding(code: "roles", ok: false, message: "schema clinic is missing")] }
        let access = PostgresAccess(database: row.string(0))
        guard row.string(1) == access.owner else {
            return [Finding(code: "roles", ok: true,
                            message: "roles and grants are not set up (clinic init does not apply them yet): the app connects as the owner, \(row.string(1)); not checked")]
        }
        var problems: [String] = []
        let tables = PostgresAccess.schemaTables
        let publicTables = try tables.filter { table in
            try PostgresAccess.Privilege.allCases.contains { privilege in
                try db.first("SELECT has_table_privilege('public', CAST(? AS text), CAST(? AS text))", ["clinic." + table, privilege.rawValue])?.int(0) == 1
            }
        }
        if !publicTables.isEmpty { problems.append("PUBLIC may use \(publicTables.joined(separator: ", "))") }
        for group in PostgresAccess.Group.allCases {
            let role = "\(access.groupPrefix)_\(group.rawValue)"
            guard try db.first("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = CAST(? AS name)", [role]) != nil else {
                problems.append("group role \(role) is missing")
                continue
            }
            let expected = access.grants(for: group)
            let lacking = try expected.filter { $0.columns == nil }.filter { grant in
                try db.first("SELECT has_table_privilege(CAST(? AS name), CAST(? AS text), CAST(? AS text))", [role, "clinic." + grant.table, grant.privilege.rawValue])?.int(0) != 1
            }.map { "\($0.privilege.rawValue) on \($0.table)" }
            if !lacking.isEmpty { problems.append("\(role) lacks \(lacking.joined(separator: ", "))") }
            if group == .frontDesk {
                let leaked = try PostgresAccess.clinicalContentTables.sorted().filter { tables.contains($0) }.filter { table in
                    try db.first("SELECT has_table_privilege(CAST(? AS name), CAST(? AS text), 'SELECT')", [role, "clinic." + table])?.int(0) == 1
                }
                if !leaked.isEmpty { problems.append("\(role) may read clinical content in \(leaked.joined(separator: ", "))") }
            }
        }
        return [Finding(code: "roles", ok: problems.isEmpty,
                        message: problems.isEmpty ? "roles and grants as clinic makes them (owner \(access.owner))" : problems.joined(separator: "; "))]
    }
}
