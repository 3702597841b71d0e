import Models

extension Schema {
    /// Synced tables made after version 8, whose capture triggers their own migration creates (the
    /// scripts of versions 4 and 8 make triggers for every synced table that existed then).
    static let tablesMadeLater: Set<String> = ["staff_key", "amendment_signature", "service_offer", "site_closure",
                                                "patient_contact", "patient_archive", "patient_alias", "needling_removal"]

    /// Version 14: proven identity.
    ///
    /// Local to this database, never synced: passphrase hashes (`staff_secret`, scrypt parameters with
    /// each), clinicians' sealed private keys (`sealed_key`), login sessions (`login_session`, only the
    /// token's hash) and passphrase attempts (`passphrase_attempt`, for the lock-out). Synced: the public
    /// half of every clinician's keys (`staff_key`, retired by setting `retired_at`) and amendments'
    /// signatures (`amendment_signature`); a note's signature travels inside its `signed_content`.
    /// `local_setting.database_id` names this database file in session token files.
    static var v14Identity: String {
        var sql = """
        CREATE TABLE IF NOT EXISTS staff_secret (
            staff_id TEXT PRIMARY KEY REFERENCES staff(id),
            kdf TEXT NOT NULL DEFAULT 'scrypt' CHECK (kdf = 'scrypt'),
            log_n INTEGER NOT NULL,
            r INTEGER NOT NULL,
            p INTEGER NOT NULL,
            salt TEXT NOT NULL,
            verifier TEXT NOT NULL,
            must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
            set_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sealed_key (
            key_id TEXT PRIMARY KEY,
            staff_id TEXT NOT NULL REFERENCES staff(id),
            sealed TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS login_session (
            token_hash TEXT PRIMARY KEY,
            staff_id TEXT NOT NULL REFERENCES staff(id),
            opened_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            ended_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS login_session_staff ON login_session(staff_id);
        CREATE TABLE IF NOT EXISTS passphrase_attempt (
            seq INTEGER PRIMARY KEY,
            handle TEXT NOT NULL,
            at INTEGER NOT NULL,
            ok INTEGER NOT NULL CHECK (ok IN (0, 1))
        );
        CREATE INDEX IF NOT EXISTS passphrase_attempt_handle ON passphrase_attempt(handle, at);
        CREATE TABLE IF NOT EXISTS staff_key (
            id TEXT PRIMARY KEY,
            staff_id TEXT NOT NULL REFERENCES staff(id),
            site_code TEXT NOT NULL,
            key_id TEXT NOT NULL,
            public_key TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            retired_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS staff_key_key ON staff_key(key_id);
        CREATE INDEX IF NOT EXISTS staff_key_staff ON staff_key(staff_id);
        CREATE TABLE IF NOT EXISTS amendment_signature (
            id TEXT PRIMARY KEY,
            amendment_id TEXT NOT NULL REFERENCES amendment(id),
            signer_id TEXT NOT NULL REFERENCES staff(id),
            key_id TEXT NOT NULL,
            signed_at INTEGER NOT NULL,
            document TEXT NOT NULL,
            signature TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS amendment_signature_amendment ON amendment_signature(amendment_id);
        DROP TRIGGER IF EXISTS amendment_signature_no_update;
        CREATE TRIGGER amendment_signature_no_update BEFORE UPDATE ON amendment_signature
        BEGIN SELECT RAISE(ABORT, 'note-signed: a signature is never changed'); END;
        DROP TRIGGER IF EXISTS amendment_signature_no_delete;
        CREATE TRIGGER amendment_signature_no_delete BEFORE DELETE ON amendment_signature
        BEGIN SELECT RAISE(ABORT, 'note-signed: a signature is never removed'); END;
        UPDATE local_setting SET database_id = lower(hex(randomblob(16))) WHERE database_id IS NULL;
        -- Notes and amendments signed before clinician keys (at this upgrade, or in a log from a site that had
        -- none): the only ones a bare SHA-256 may sign. Any other without a signature is a downgrade.
        CREATE TABLE IF NOT EXISTS hash_only_signature (
            kind TEXT NOT NULL CHECK (kind IN ('note', 'amendment')),
            id TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO hash_only_signature (kind, id) SELECT 'note', id FROM note WHERE status = 'signed';
        INSERT OR IGNORE INTO hash_only_signature (kind, id) SELECT 'amendment', id FROM amendment;

        """
        for name in ["staff_key", "amendment_signature"] {
            if let table = SyncSchema.table(name) {
                sql += dropTriggers(for: table)
                sql += triggers(for: table)
            }
        }
        return sql
    }
}
