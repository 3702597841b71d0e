extension Schema {
    /// This site's private keys and the public keys of sites it trusts. The private keys live in
    /// the database, which is created with mode 0600 (as is its WAL).
    static let v6Keys = """
    CREATE TABLE site_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        signing_private TEXT NOT NULL,
        agreement_private TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );

    CREATE TABLE trusted_site (
        code TEXT PRIMARY KEY,
        signing_key TEXT NOT NULL,
        agreement_key TEXT NOT NULL,
        key_id TEXT NOT NULL,
        trusted_at INTEGER NOT NULL,
        revoked_at INTEGER
    );
    """
}

extension Schema {
    /// Change ids are found through an index on their first 16 hex digits instead of a unique index on
    /// all 64: a quarter of the index pages to write on every captured change.
    static let v7ChangeKey = """
    CREATE INDEX IF NOT EXISTS change_key ON change(substr(change_id, 1, 16));
    """
}

extension Schema {
    /// Changes are found by their row (`change_row`) rather than by their id, so the id-prefix index
    /// goes: its keys are random hashes, and every captured change wrote a page of it at a random
    /// place (three of a booking's twelve WAL frames). A concurrent-edit conflict keeps the row its
    /// two changes share, filled in here for conflicts recorded before, while the old index still serves.
    static let v9ChangesByRow = """
    ALTER TABLE conflict ADD COLUMN row_id TEXT;
    UPDATE conflict SET row_id = (SELECT c.row_id FROM change c WHERE substr(c.change_id, 1, 16) = substr(conflict.b_ref, 1, 16)
                                  AND c.change_id = conflict.b_ref)
    WHERE kind = 'concurrent-edit';
    DROP INDEX IF EXISTS change_key;
    """

    /// `change_row` leads with the row id instead of the table. With the table first, every new row's
    /// changes went into the middle of the index (other tables' entries sort after `appointment`), so
    /// the leaf taking them was always nearly full and SQLite rebalanced it with two siblings and their
    /// parent every second or third booking: 2.5 pages written per booking for this index alone. Row
    /// ids are time-ordered (UUIDv7), so a new row's changes now land at the end, where the leaf is
    /// rebalanced less often (1.8 pages per booking; SQLite splits an index leaf with its siblings
    /// even when appending, unlike a table leaf).
    ///
    /// A note's needling and adverse-event changes, which were found through the table prefix, get a
    /// partial index kept only for those tables. Its condition is an `IN` on purpose: a condition
    /// `tbl = 'needling'` would make SQLite weigh the index for every statement with `tbl = ?`, and
    /// such a statement is compiled again each time a new table name is bound to it.
    ///
    /// A note on a cancelled booking keeps the booking as side A from now on; rows stored smaller id
    /// first, with the note as side A, are turned round once here.
    static let v10ChangesByRowID = """
    UPDATE conflict SET a_ref = b_ref, b_ref = a_ref WHERE kind = 'note-on-cancelled' AND a_ref IN (SELECT id FROM note);
    DROP INDEX change_row;
    CREATE INDEX change_row ON change(row_id, tbl, grp, hlc);
    CREATE INDEX IF NOT EXISTS change_note_detail ON change(json_extract(vals, '$.note_id')) WHERE tbl IN ('needling', 'adverse_event');
    """
}
