import Models

extension PostgresSchema {
    /// True while the session captures its writes: not while sync applies a received change
    /// (SQLite's `sync_state.applying = 0`).
    static let capturing = Schema.CaptureDialect.postgres.capturing

    /// `note_text`, SQLite's FTS5 table: its `search` column is the body unaccented and split by the
    /// `simple` configuration (no stemming, like `unicode61 remove_diacritics 2`), under a GIN index.
    /// `unaccent` is not immutable (its dictionary can change), so a wrapper naming the dictionary is.
    static let noteText: [String] = [
        """
        CREATE FUNCTION clinic.unaccent_text(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
        """,
        // FTS5's `unicode61` splits words at every character that is not a letter or digit; PostgreSQL's
        // parser keeps `2.5`, `c5-c6` or `a/b` whole, so those characters become spaces first, and both
        // engines find the same notes for the same words (NoteSearch).
        """
        CREATE FUNCTION clinic.search_text(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT regexp_replace(clinic.unaccent_text($1), '[^[:alnum:]]+', ' ', 'g') $$
        """,
        // The snippet's configuration: `simple`, each word unaccented first, so `ts_headline` marks
        // accented words in the text as written.
        "CREATE TEXT SEARCH CONFIGURATION clinic.search (COPY = pg_catalog.simple)",
        """
        ALTER TEXT SEARCH CONFIGURATION clinic.search ALTER MAPPING FOR asciiword, word, numword, asciihword, hword,
            numhword, hword_asciipart, hword_part, hword_numpart WITH public.unaccent, pg_catalog.simple
        """,
        """
        CREATE TABLE clinic.note_text (
            note_id text,
            source text,
            body text,
            search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, clinic.search_text(coalesce(body, '')))) STORED
        )
        """,
        "CREATE INDEX note_text_search ON clinic.note_text USING gin (search)",
        "CREATE INDEX note_text_note ON clinic.note_text (note_id, source)",
    ] + textTriggers

    /// The needling line of a note's text: the points (or muscles) still in, as SQLite's triggers keep it.
    static func needlingText(_ noteID: String) -> String {
        """
        DELETE FROM clinic.note_text WHERE note_id = \(noteID) AND source = 'needling';
            INSERT INTO clinic.note_text (note_id, source, body)
            SELECT \(noteID), 'needling', string_agg(coalesce(g.point, g.muscle), ' ') FROM clinic.needling g
            WHERE g.note_id = \(noteID) AND NOT EXISTS (SELECT 1 FROM clinic.needling_removal r JOIN clinic.note n ON n.id = r.note_id
                                                     WHERE r.needling_id = g.id AND n.status = 'draft')
            HAVING count(*) > 0;
        """
    }

    static let noteBody = "NEW.subjective || ' ' || NEW.objective || ' ' || NEW.assessment || ' ' || NEW.plan"

    /// SQLite's triggers that keep `note_text` current, as plpgsql.
    static var textTriggers: [String] {
        [
            trigger("note_text_insert", "AFTER INSERT ON clinic.note", """
                INSERT INTO clinic.note_text (note_id, source, body) VALUES (NEW.id, 'note', \(noteBody));
                """),
            trigger("note_text_update", "AFTER UPDATE OF subjective, objective, assessment, plan ON clinic.note", """
                DELETE FROM clinic.note_text WHERE note_id = NEW.id AND source = 'note';
                    INSERT INTO clinic.note_text (note_id, source, body) VALUES (NEW.id, 'note', \(noteBody));
                """),
            trigger("amendment_text_insert", "AFTER INSERT ON clinic.amendment", """
                INSERT INTO clinic.note_text (note_id, source, body) VALUES (NEW.note_id, NEW.id, NEW.text);
                """),
            trigger("needling_text_insert", "AFTER INSERT ON clinic.needling", needlingText("NEW.note_id")),
            trigger("needling_text_delete", "AFTER DELETE ON clinic.needling", needlingText("OLD.note_id")),
            trigger("needling_removal_text", "AFTER INSERT ON clinic.needling_removal", needlingText("NEW.note_id")),
        ].flatMap { $0 }
    }

    /// A trigger function `clinic.<name>()` running `body`, and its row trigger `name` at `timing`
    /// ("AFTER UPDATE OF a, b ON clinic.t"), fired only `when` that holds (no subqueries there).
    static func trigger(_ name: String, _ timing: String, when condition: String? = nil, _ body: String) -> [String] {
        [
            """
            CREATE FUNCTION clinic.\(name)() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                \(body)
                RETURN COALESCE(NEW, OLD);
            END
            $$
            """,
            "CREATE TRIGGER \(name) \(timing) FOR EACH ROW" + (condition.map { " WHEN (\($0))" } ?? "") + " EXECUTE FUNCTION clinic.\(name)()",
        ]
    }

    /// True when the note `noteID` (an SQL expression) is signed.
    static func signed(_ noteID: String) -> String {
        "(SELECT status FROM clinic.note WHERE id = \(noteID)) = 'signed'"
    }

    /// The append-only and locked-note guards: SQLite's `RAISE(ABORT, text)` becomes an exception with
    /// the same text and SQLSTATE `guardState`; (name, timing, condition or nil for always, text).
    static var guardRules: [(name: String, timing: String, condition: String?, message: String)] {
        let changed = "note-signed: a signed note cannot be changed"
        return [
            ("consent_insert_only_update", "BEFORE UPDATE ON clinic.consent", nil, "consent records are insert-only"),
            ("consent_insert_only_delete", "BEFORE DELETE ON clinic.consent", nil, "consent records are insert-only"),
            ("note_signed_no_delete", "BEFORE DELETE ON clinic.note", "OLD.status = 'signed'", "note-signed: a signed note cannot be deleted"),
            ("note_signed_no_update", "BEFORE UPDATE ON clinic.note", "OLD.status = 'signed' AND \(capturing)", changed),
            ("needling_locked_insert", "BEFORE INSERT ON clinic.needling", signed("NEW.note_id"), changed),
            ("needling_locked_update", "BEFORE UPDATE ON clinic.needling", signed("OLD.note_id"), changed),
            ("needling_locked_delete", "BEFORE DELETE ON clinic.needling", "\(signed("OLD.note_id")) AND \(capturing)", changed),
            ("adverse_locked_insert", "BEFORE INSERT ON clinic.adverse_event", signed("NEW.note_id"), changed),
            ("adverse_locked_change", "BEFORE UPDATE ON clinic.adverse_event", signed("OLD.note_id"), changed),
            ("adverse_locked_delete", "BEFORE DELETE ON clinic.adverse_event", "\(signed("OLD.note_id")) AND \(capturing)", changed),
            ("needling_removal_locked", "BEFORE INSERT ON clinic.needling_removal", "\(signed("NEW.note_id")) AND \(capturing)", changed),
            ("amendment_no_update", "BEFORE UPDATE ON clinic.amendment", nil, "amendments are insert-only"),
            ("amendment_no_delete", "BEFORE DELETE ON clinic.amendment", nil, "amendments are insert-only"),
            ("amendment_signature_no_update", "BEFORE UPDATE ON clinic.amendment_signature", nil, "note-signed: a signature is never changed"),
            ("amendment_signature_no_delete", "BEFORE DELETE ON clinic.amendment_signature", nil, "note-signed: a signature is never removed"),
            ("audit_no_update", "BEFORE UPDATE ON clinic.audit", nil, "the audit log is append-only"),
            ("audit_no_delete", "BEFORE DELETE ON clinic.audit", nil, "the audit log is append-only"),
        ]
    }

    static var guards: [String] {
        guardRules.flatMap { rule in
            let raise = "RAISE EXCEPTION '\(rule.message)' USING ERRCODE = '\(guardState)';"
            let body = rule.condition.map { "IF \($0) THEN\n        \(raise)\n    END IF;" } ?? raise
            return trigger(rule.name, rule.timing, body)
        } + truncateGuards
    }

    /// TRUNCATE fires no row trigger: without these it would empty the audit log, a signed note's
    /// table or a synced table with no guard and no change captured. The text is the table's own rule.
    static var truncateGuards: [String] {
        let appendOnly = ["audit": "the audit log is append-only", "consent": "consent records are insert-only",
                          "amendment": "amendments are insert-only", "amendment_signature": "note-signed: a signature is never removed"]
        let tables = Set(SyncSchema.tables.map(\.name)).union(appendOnly.keys).sorted()
        return [
            """
            CREATE FUNCTION clinic.refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = '\(guardState)';
            END
            $$
            """,
        ] + tables.map { table in
            let message = appendOnly[table] ?? "synced tables are written through clinic: \(table) cannot be truncated"
            return "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON clinic.\(table) FOR EACH STATEMENT "
                + "EXECUTE FUNCTION clinic.refuse_truncate('\(message)')"
        }
    }

    /// `clinic.is_applying()`: true while sync applies received changes, which turns capture and the
    /// signed-note guards off for the transaction. Any role may set a custom setting, so the setting
    /// counts only for the schema's owner (the role `clinic` connects as) and members of `clinic_sync`.
    static let applyingFunction = """
        CREATE FUNCTION clinic.is_applying() RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT coalesce(current_setting('clinic.applying', true), '') = 'on'
               AND (pg_has_role(session_user, (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = 'clinic'), 'MEMBER')
                    OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                               WHERE r.rolname = 'clinic_sync' AND pg_has_role(session_user, r.oid, 'MEMBER')))
        $$
        """

    /// The capture triggers of every synced table, from the generator SQLite's come from: each calls
    /// `clinic.stage_change(tbl, row_id, grp, vals, prev)` with `vals` a JSON text (the seal
    /// re-canonicalises it) and fires only when a group's columns are DISTINCT FROM their old values.
    static var captureStatements: [String] {
        SyncSchema.tables.flatMap { table in
            Schema.captureTriggers(for: table, dialect: .postgres).flatMap { capture -> [String] in
                let timing: String
                switch capture.event {
                case .insert: timing = "AFTER INSERT ON clinic.\(capture.table)"
                case .update(let columns): timing = "AFTER UPDATE OF \(columns.joined(separator: ", ")) ON clinic.\(capture.table)"
                case .delete: timing = "AFTER DELETE ON clinic.\(capture.table)"
                }
                let body = capture.calls.map {
                    "PERFORM clinic.stage_change(\($0.table), \($0.rowID), \($0.group), \($0.values), \($0.previous));"
                }.joined(separator: "\n    ")
                return trigger(capture.name, timing, when: capture.condition, body)
            }
        }
    }
}
