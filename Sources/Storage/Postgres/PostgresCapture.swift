/// The PostgreSQL half of change capture (docs/postgresql-design.md §2, option B): the capture
/// triggers of the synced tables stage their entries server-side with `clinic.stage_change`, and the
/// client seals them before COMMIT (`PostgresChangeSeal`) with the one Swift implementation of
/// canonical values and `Change.id`.
///
/// - `clinic.change_staging` (UNLOGGED): one row per captured write, keyed by the writing transaction.
/// - `clinic.capture_tx`: one marker per capturing transaction, inserted by its first staged write.
/// - `clinic.hlc_clock`: the site's clock register, a sequence (outside MVCC, so a tick is fresh in any
///   snapshot and never a serialization failure; a rolled-back tick only skips values).
/// - `clinic.commit_tick(now_ms)`: takes the commit lock (`pg_advisory_xact_lock(commitLockKey)`, held
///   until the transaction ends, released only after its commit is visible) and advances the clock as
///   `HLC.tick` does: `greatest(last + 1, now_ms << 16)`.
/// - A deferred constraint trigger on `capture_tx` refuses COMMIT while the transaction still has staged
///   rows: a `psql` write to a synced table is refused, as the `sqlite3` shell's is on SQLite.
///
/// The tables `clinic.change` and `clinic.audit` (the same columns as SQLite's) are the schema's, not
/// made here, so this composes with the full PostgreSQL schema.
public enum PostgresCapture {
    /// The key of the advisory lock every seal takes for its tick and holds until COMMIT: "clinic" in ASCII.
    public static let commitLockKey: Int64 = 0x636C_696E_6963

    /// What the guard says when a transaction would commit unsealed changes.
    public static let unsealedMessage = "synced tables are written through clinic: this transaction has changes clinic did not seal"

    /// The DDL, in order; each statement is run on its own.
    public static let setupStatements: [String] = [
        "CREATE SCHEMA IF NOT EXISTS clinic",
        """
        CREATE UNLOGGED TABLE clinic.change_staging (
            txid bigint NOT NULL DEFAULT txid_current(),
            seq bigserial PRIMARY KEY,
            tbl text NOT NULL,
            row_id text NOT NULL,
            grp text NOT NULL,
            vals text NOT NULL,
            prev text
        )
        """,
        "CREATE INDEX change_staging_txid ON clinic.change_staging (txid, seq)",
        "CREATE TABLE clinic.capture_tx (txid bigint PRIMARY KEY)",
        "CREATE SEQUENCE clinic.hlc_clock AS bigint MINVALUE 0 START WITH 0",
        """
        CREATE FUNCTION clinic.stage_change(p_tbl text, p_row_id text, p_grp text, p_vals text, p_prev text)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO clinic.change_staging (tbl, row_id, grp, vals, prev) VALUES (p_tbl, p_row_id, p_grp, p_vals, p_prev);
            INSERT INTO clinic.capture_tx (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        END
        $$
        """,
        """
        CREATE FUNCTION clinic.commit_tick(now_ms bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
            last bigint;
            stamp bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(commitLockKey));
            SELECT last_value INTO last FROM clinic.hlc_clock;
            stamp := greatest(last + 1, now_ms << 16);
            PERFORM setval('clinic.hlc_clock', stamp, true);
            RETURN stamp;
        END
        $$
        """,
        """
        CREATE UNLOGGED TABLE clinic.audit_pending (
            txid bigint NOT NULL DEFAULT txid_current(),
            seq bigserial PRIMARY KEY,
            at bigint NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            entity text NOT NULL,
            entity_id text,
            patient_id text,
            outcome text NOT NULL
        )
        """,
        "CREATE INDEX audit_pending_txid ON clinic.audit_pending (txid, seq)",
        // A JSON string exactly as JSONValue.writeString spells it (to_json writes \b and \f, Swift \u0008 and \u000c).
        #"""
        CREATE FUNCTION clinic.json_string(s text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            r text := replace(replace(s, '\', '\\'), '"', '\"');
        BEGIN
            r := replace(replace(replace(r, chr(10), '\n'), chr(13), '\r'), chr(9), '\t');
            IF r ~ '[\x01-\x1f]' THEN
                FOR code IN 1..31 LOOP
                    r := replace(r, chr(code), '\u' || lpad(to_hex(code), 4, '0'));
                END LOOP;
            END IF;
            RETURN '"' || r || '"';
        END
        $$
        """#,
        // AuditLog.hash's canonical body, keys in sorted order.
        """
        CREATE FUNCTION clinic.audit_hash(prev text, at bigint, actor text, action text, entity text, entity_id text,
                                          patient_id text, outcome text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT encode(sha256(convert_to(
                '{"action":' || clinic.json_string(action) || ',"actor":' || clinic.json_string(actor) || ',"at":' || at::text
                || ',"entity":' || clinic.json_string(entity) || ',"entity_id":' || coalesce(clinic.json_string(entity_id), 'null')
                || ',"outcome":' || clinic.json_string(outcome) || ',"patient_id":' || coalesce(clinic.json_string(patient_id), 'null')
                || ',"prev":' || clinic.json_string(prev) || '}', 'UTF8')), 'hex')
        $$
        """,
        // An audit entry, chained into clinic.audit when its transaction commits.
        """
        CREATE FUNCTION clinic.audit_append(p_at bigint, p_actor text, p_action text, p_entity text, p_entity_id text,
                                            p_patient_id text, p_outcome text) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO clinic.audit_pending (at, actor, action, entity, entity_id, patient_id, outcome)
            VALUES (p_at, p_actor, p_action, p_entity, p_entity_id, p_patient_id, p_outcome);
            INSERT INTO clinic.capture_tx (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        END
        $$
        """,
        // At COMMIT, once per capturing transaction: refuse unsealed changes; chain the pending audit
        // entries after the head under the commit lock (so seq order is chain order); drop the marker.
        """
        CREATE FUNCTION clinic.seal_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            head text;
            entry record;
            chained text;
        BEGIN
            IF EXISTS (SELECT 1 FROM clinic.change_staging WHERE txid = NEW.txid) THEN
                RAISE EXCEPTION '\(unsealedMessage)' USING ERRCODE = 'P0001';
            END IF;
            IF EXISTS (SELECT 1 FROM clinic.audit_pending WHERE txid = NEW.txid) THEN
                PERFORM pg_advisory_xact_lock(\(commitLockKey));
                SELECT hash INTO head FROM clinic.audit ORDER BY seq DESC LIMIT 1;
                head := coalesce(head, repeat('0', 64));
                FOR entry IN SELECT at, actor, action, entity, entity_id, patient_id, outcome FROM clinic.audit_pending
                             WHERE txid = NEW.txid ORDER BY seq LOOP
                    chained := clinic.audit_hash(head, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id,
                                              entry.patient_id, entry.outcome);
                    INSERT INTO clinic.audit (at, actor, action, entity, entity_id, patient_id, outcome, prev_hash, hash)
                    VALUES (entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.patient_id, entry.outcome, head, chained);
                    head := chained;
                END LOOP;
                DELETE FROM clinic.audit_pending WHERE txid = NEW.txid;
            END IF;
            DELETE FROM clinic.capture_tx WHERE txid = NEW.txid;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE CONSTRAINT TRIGGER capture_tx_sealed AFTER INSERT ON clinic.capture_tx
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION clinic.seal_at_commit()
        """,
    ]
}
