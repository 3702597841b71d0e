import Models

extension Schema {
    /// Change capture and sync bookkeeping. Triggers on every synced table append a row to an unindexed
    /// staging table in the same transaction as the write; `ChangeCapture.seal` stamps and hashes them
    /// and moves them into `change` once, just before commit.
    static var v4Sync: String {
        var sql = """
        CREATE TABLE change (
            seq INTEGER PRIMARY KEY,
            change_id TEXT NOT NULL,
            origin TEXT NOT NULL,
            hlc INTEGER NOT NULL,
            tbl TEXT NOT NULL,
            row_id TEXT NOT NULL,
            grp TEXT NOT NULL,
            vals TEXT NOT NULL,
            prev TEXT
        );
        CREATE INDEX change_row ON change(tbl, row_id, grp, hlc);
        CREATE INDEX change_origin ON change(origin, hlc);

        CREATE TABLE change_staging (
            seq INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            row_id TEXT NOT NULL,
            grp TEXT NOT NULL,
            vals TEXT NOT NULL,
            prev TEXT
        );

        CREATE TABLE sync_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            applying INTEGER NOT NULL DEFAULT 0,
            hlc INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO sync_state (id, applying, hlc) VALUES (1, 0, 0);

        CREATE TABLE quarantine (
            change_id TEXT PRIMARY KEY,
            line TEXT NOT NULL,
            hlc INTEGER NOT NULL,
            origin TEXT NOT NULL,
            received_from TEXT NOT NULL,
            received_at INTEGER NOT NULL
        );

        CREATE TABLE peer (
            code TEXT PRIMARY KEY,
            acked TEXT NOT NULL DEFAULT '{}',
            sent TEXT NOT NULL DEFAULT '{}',
            last_export_at INTEGER,
            last_import_at INTEGER,
            exported_changes INTEGER NOT NULL DEFAULT 0,
            imported_changes INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE pending_row (
            tbl TEXT NOT NULL,
            row_id TEXT NOT NULL,
            PRIMARY KEY (tbl, row_id)
        );

        CREATE TABLE conflict (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            tbl TEXT NOT NULL,
            a_ref TEXT NOT NULL,
            b_ref TEXT NOT NULL,
            a_json TEXT NOT NULL,
            b_json TEXT NOT NULL,
            detected_at INTEGER NOT NULL
        );

        CREATE TABLE conflict_resolution (
            id TEXT PRIMARY KEY,
            conflict_id TEXT NOT NULL,
            keep TEXT NOT NULL CHECK (keep IN ('A', 'B')),
            resolved_by TEXT NOT NULL,
            resolved_at INTEGER NOT NULL
        );
        CREATE INDEX conflict_resolution_conflict ON conflict_resolution(conflict_id);

        """
        sql += signedNoteGuards
        for table in SyncSchema.tables where !tablesMadeLater.contains(table.name) {
            sql += stagingTriggers(for: asFirstMade(table))
        }
        return sql
    }

    /// Version 8: the capture triggers hand each change to `clinic_capture`, a function every clinic
    /// connection registers, which keeps it in memory until the transaction seals it: no staging row to
    /// insert, read back and delete, and no page of it in the WAL. A program without the function (the
    /// sqlite3 shell) can no longer write a synced table: its statement fails with "no such function:
    /// clinic_capture" instead of making a change no other site would ever receive. `change_staging`
    /// stays for writes a clinic connection makes outside `Database.write`.
    static var v8CaptureFunction: String {
        var sql = ""
        for table in SyncSchema.tables where !tablesMadeLater.contains(table.name) {
            sql += dropTriggers(for: asFirstMade(table))
            sql += triggers(for: asFirstMade(table))
        }
        return sql
    }

    /// Field groups added to a table after change capture began, by table: the triggers an earlier
    /// migration makes leave them out (their columns do not exist yet); the migration that adds them
    /// makes the table's triggers again.
    static let groupsMadeLater: [String: Set<String>] = ["working_hours": ["site"]]

    /// The table as capture first knew it, without the groups added later.
    static func asFirstMade(_ table: SyncedTable) -> SyncedTable {
        guard let later = groupsMadeLater[table.name] else { return table }
        return SyncedTable(name: table.name, merge: table.merge, groups: table.groups.filter { !later.contains($0.name) },
                           references: table.references.filter { reference in
                               !table.groups.contains { later.contains($0.name) && $0.columns.contains(reference.column) }
                           },
                           signing: table.signing, span: table.span, localColumns: table.localColumns)
    }

    static func dropTriggers(for table: SyncedTable) -> String {
        var names = ["capture_\(table.name)_insert"]
        if table.merge == .lastWriterWins {
            names += table.groups.map { "capture_\(table.name)_\($0.name)" } + ["capture_\(table.name)_delete"]
        }
        return names.map { "DROP TRIGGER IF EXISTS \($0);\n" }.joined()
    }

    /// Signed notes stay locked, except while sync applies a received change: when two sites sign
    /// one note concurrently, the winning signature (and its snapshot) must replace the loser's.
    static let signedNoteGuards = """
    DROP TRIGGER note_signed_no_update;
    CREATE TRIGGER note_signed_no_update BEFORE UPDATE ON note
    WHEN OLD.status = 'signed' AND (SELECT applying FROM sync_state WHERE id = 1) = 0
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    DROP TRIGGER needling_locked_delete;
    CREATE TRIGGER needling_locked_delete BEFORE DELETE ON needling
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed' AND (SELECT applying FROM sync_state WHERE id = 1) = 0
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    DROP TRIGGER adverse_locked_delete;
    CREATE TRIGGER adverse_locked_delete BEFORE DELETE ON adverse_event
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed' AND (SELECT applying FROM sync_state WHERE id = 1) = 0
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;

    """

    /// Version 4's capture triggers of one table (rows into `change_staging`), generated from `SyncSchema` (constants only, no user data).
    static func stagingTriggers(for table: SyncedTable) -> String {
        triggers(for: table) { "INSERT INTO change_staging (tbl, row_id, grp, vals, prev) VALUES (\($0), \($1), \($2), \($3), \($4));" }
    }

    /// The capture triggers of one table (version 8), generated from `SyncSchema` (constants only, no user data).
    static func triggers(for table: SyncedTable) -> String {
        triggers(for: table) { "SELECT clinic_capture(\($0), \($1), \($2), \($3), \($4));" }
    }

    /// Capture triggers whose body is `capture(table, row id, group, values, previous change)`, each an SQL expression.
    static func triggers(for table: SyncedTable, capture: (String, String, String, String, String) -> String) -> String {
        var sql = ""
        for trigger in captureTriggers(for: table, dialect: .sqlite) {
            let calls = trigger.calls.map { capture($0.table, $0.rowID, $0.group, $0.values, $0.previous) }
            switch trigger.event {
            case .insert:
                sql += "CREATE TRIGGER \(trigger.name) AFTER INSERT ON \(trigger.table) WHEN \(trigger.condition) BEGIN\n"
                    + calls.map { "    \($0)\n" }.joined() + "END;\n"
            case .update(let columns):
                sql += """
                CREATE TRIGGER \(trigger.name) AFTER UPDATE OF \(columns.joined(separator: ", ")) ON \(trigger.table)
                WHEN \(trigger.condition) BEGIN
                    \(calls.joined(separator: "\n    "))
                END;

                """
            case .delete:
                sql += """
                CREATE TRIGGER \(trigger.name) AFTER DELETE ON \(trigger.table) WHEN \(trigger.condition) BEGIN
                    \(calls.joined(separator: "\n    "))
                END;

                """
            }
        }
        return sql
    }

    /// The SQL a capture trigger is written in: the shape of each trigger is the same on both backends
    /// (one per table for inserts, one per field group for updates, one for deletes), only the spelling differs.
    enum CaptureDialect {
        case sqlite, postgres

        /// True while the writer is capturing (not applying a received change).
        var capturing: String {
            switch self {
            case .sqlite: return "(SELECT applying FROM sync_state WHERE id = 1) = 0"
            case .postgres: return "NOT clinic.is_applying()"
            }
        }

        /// The columns' values as a JSON object text, keys sorted.
        func values(_ columns: [String], prefix: String) -> String {
            let pairs = columns.sorted().map { "'\($0)', \(prefix).\($0)" }.joined(separator: ", ")
            switch self {
            case .sqlite: return "json_object(" + pairs + ")"
            case .postgres: return "json_build_object(" + pairs + ")::text"
            }
        }

        /// True when the column's value changed, NULLs compared as values.
        func changed(_ column: String) -> String {
            switch self {
            case .sqlite: return "OLD.\(column) IS NOT NEW.\(column)"
            case .postgres: return "OLD.\(column) IS DISTINCT FROM NEW.\(column)"
            }
        }

        /// The change log table's name.
        var changeTable: String { self == .sqlite ? "change" : "clinic.change" }
    }

    /// One capture trigger, before it is spelled out in a dialect.
    struct CaptureTrigger {
        enum Event { case insert, update([String]), delete }
        let name: String
        let table: String
        let event: Event
        /// When the trigger fires (an SQL condition on OLD and NEW).
        let condition: String
        /// The changes it captures, in order, each part an SQL expression.
        let calls: [(table: String, rowID: String, group: String, values: String, previous: String)]
    }

    /// The capture triggers of one table, generated from `SyncSchema` (constants only, no user data).
    static func captureTriggers(for table: SyncedTable, dialect: CaptureDialect) -> [CaptureTrigger] {
        let t = table.name
        let capturing = dialect.capturing
        var result = [CaptureTrigger(name: "capture_\(t)_insert", table: t, event: .insert, condition: capturing,
                                     calls: table.groups.map { group in
                                         ("'\(t)'", "NEW.id", "'\(group.name)'", dialect.values(group.columns, prefix: "NEW"), "NULL")
                                     })]
        guard table.merge == .lastWriterWins else { return result }
        for group in table.groups {
            let changed = group.columns.map(dialect.changed).joined(separator: " OR ")
            let previous = "(SELECT change_id FROM \(dialect.changeTable) WHERE tbl = '\(t)' AND row_id = NEW.id AND grp = '\(group.name)' ORDER BY hlc DESC, origin DESC LIMIT 1)"
            result.append(CaptureTrigger(name: "capture_\(t)_\(group.name)", table: t, event: .update(group.columns),
                                         condition: "\(capturing) AND (\(changed))",
                                         calls: [("'\(t)'", "NEW.id", "'\(group.name)'", dialect.values(group.columns, prefix: "NEW"), previous)]))
        }
        result.append(CaptureTrigger(name: "capture_\(t)_delete", table: t, event: .delete, condition: capturing,
                                     calls: [("'\(t)'", "OLD.id", "'_deleted'", "'{}'", "NULL")]))
        return result
    }
}
