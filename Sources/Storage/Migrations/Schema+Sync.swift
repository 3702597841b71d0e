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
        let t = table.name
        let capturing = "(SELECT applying FROM sync_state WHERE id = 1) = 0"
        func values(_ columns: [String], prefix: String) -> String {
            "json_object(" + columns.sorted().map { "'\($0)', \(prefix).\($0)" }.joined(separator: ", ") + ")"
        }
        var inserts = ""
        for group in table.groups {
            inserts += "    " + capture("'\(t)'", "NEW.id", "'\(group.name)'", values(group.columns, prefix: "NEW"), "NULL") + "\n"
        }
        var sql = "CREATE TRIGGER capture_\(t)_insert AFTER INSERT ON \(t) WHEN \(capturing) BEGIN\n\(inserts)END;\n"
        guard table.merge == .lastWriterWins else { return sql }
        for group in table.groups {
            let changed = group.columns.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
            let previous = "(SELECT change_id FROM change WHERE tbl = '\(t)' AND row_id = NEW.id AND grp = '\(group.name)' ORDER BY hlc DESC, origin DESC LIMIT 1)"
            sql += """
            CREATE TRIGGER capture_\(t)_\(group.name) AFTER UPDATE OF \(group.columns.joined(separator: ", ")) ON \(t)
            WHEN \(capturing) AND (\(changed)) BEGIN
                \(capture("'\(t)'", "NEW.id", "'\(group.name)'", values(group.columns, prefix: "NEW"), previous))
            END;

            """
        }
        sql += """
        CREATE TRIGGER capture_\(t)_delete AFTER DELETE ON \(t) WHEN \(capturing) BEGIN
            \(capture("'\(t)'", "OLD.id", "'_deleted'", "'{}'", "NULL"))
        END;

        """
        return sql
    }
}
