extension Schema {
    /// Clinical records: precautions, consent events, notes with their needling and adverse events,
    /// amendments, the audit log and full-text search. Signed notes, amendments, consents and audit
    /// entries are protected by triggers: the database itself refuses to change them.
    static let v3Clinical = """
    CREATE TABLE precaution (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient(id),
        code TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        recorded_by TEXT NOT NULL REFERENCES staff(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX precaution_patient ON precaution(patient_id);

    CREATE TABLE consent (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient(id),
        intervention TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('given', 'withdrawn')),
        date TEXT NOT NULL,
        guardian TEXT,
        risks TEXT,
        recorded_by TEXT NOT NULL REFERENCES staff(id),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX consent_patient ON consent(patient_id, intervention);
    CREATE TRIGGER consent_insert_only_update BEFORE UPDATE ON consent
    BEGIN SELECT RAISE(ABORT, 'consent records are insert-only'); END;
    CREATE TRIGGER consent_insert_only_delete BEFORE DELETE ON consent
    BEGIN SELECT RAISE(ABORT, 'consent records are insert-only'); END;

    CREATE TABLE note (
        id TEXT PRIMARY KEY,
        appointment_id TEXT NOT NULL REFERENCES appointment(id),
        patient_id TEXT NOT NULL REFERENCES patient(id),
        author_id TEXT NOT NULL REFERENCES staff(id),
        session_date TEXT NOT NULL,
        subjective TEXT NOT NULL DEFAULT '',
        objective TEXT NOT NULL DEFAULT '',
        assessment TEXT NOT NULL DEFAULT '',
        plan TEXT NOT NULL DEFAULT '',
        pain_before INTEGER,
        pain_after INTEGER,
        psfs REAL,
        ndi INTEGER,
        odi INTEGER,
        needles_removed INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
        signed_by TEXT REFERENCES staff(id),
        signed_at INTEGER,
        content_hash TEXT,
        acknowledged TEXT NOT NULL DEFAULT '',
        signed_content TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX note_patient ON note(patient_id, session_date);
    CREATE INDEX note_appointment ON note(appointment_id);
    CREATE TRIGGER note_signed_no_update BEFORE UPDATE ON note WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be deleted'); END;

    CREATE TABLE needling (
        id TEXT PRIMARY KEY,
        note_id TEXT NOT NULL REFERENCES note(id),
        point TEXT,
        muscle TEXT,
        side TEXT NOT NULL,
        gauge_mm REAL,
        length_mm REAL,
        depth_mm REAL,
        technique TEXT,
        retention_min INTEGER,
        estim_hz REAL,
        estim_min INTEGER,
        count INTEGER NOT NULL CHECK (count > 0),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX needling_note ON needling(note_id);

    CREATE TABLE adverse_event (
        id TEXT PRIMARY KEY,
        note_id TEXT NOT NULL REFERENCES note(id),
        kind TEXT NOT NULL,
        detail TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX adverse_note ON adverse_event(note_id);

    CREATE TRIGGER needling_locked_insert BEFORE INSERT ON needling
    WHEN (SELECT status FROM note WHERE id = NEW.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER needling_locked_update BEFORE UPDATE ON needling
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER needling_locked_delete BEFORE DELETE ON needling
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER adverse_locked_insert BEFORE INSERT ON adverse_event
    WHEN (SELECT status FROM note WHERE id = NEW.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER adverse_locked_change BEFORE UPDATE ON adverse_event
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;
    CREATE TRIGGER adverse_locked_delete BEFORE DELETE ON adverse_event
    WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'signed'
    BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;

    CREATE TABLE amendment (
        id TEXT PRIMARY KEY,
        note_id TEXT NOT NULL REFERENCES note(id),
        author_id TEXT NOT NULL REFERENCES staff(id),
        text TEXT NOT NULL,
        amends_hash TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX amendment_note ON amendment(note_id, created_at);
    CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment
    BEGIN SELECT RAISE(ABORT, 'amendments are insert-only'); END;
    CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
    BEGIN SELECT RAISE(ABORT, 'amendments are insert-only'); END;

    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        patient_id TEXT,
        outcome TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_patient ON audit(patient_id, seq);
    CREATE INDEX audit_actor ON audit(actor, seq);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE VIRTUAL TABLE note_text USING fts5(
        note_id UNINDEXED, source UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER note_text_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_text (note_id, source, body)
        VALUES (NEW.id, 'note', NEW.subjective || ' ' || NEW.objective || ' ' || NEW.assessment || ' ' || NEW.plan);
    END;
    CREATE TRIGGER note_text_update AFTER UPDATE OF subjective, objective, assessment, plan ON note BEGIN
        DELETE FROM note_text WHERE note_id = NEW.id AND source = 'note';
        INSERT INTO note_text (note_id, source, body)
        VALUES (NEW.id, 'note', NEW.subjective || ' ' || NEW.objective || ' ' || NEW.assessment || ' ' || NEW.plan);
    END;
    CREATE TRIGGER amendment_text_insert AFTER INSERT ON amendment BEGIN
        INSERT INTO note_text (note_id, source, body) VALUES (NEW.note_id, NEW.id, NEW.text);
    END;
    """
}
