extension Schema {
    /// Settings that belong to this database file alone and never sync (no capture triggers): whether
    /// `CLINIC_NOW` may set the clock. Only `clinic demo` and `clinic init --test-clock` turn it on, as
    /// they make the database; a database upgraded to this version keeps the real clock, so a fixed
    /// clock can no longer backdate what is recorded in it. Written to run again harmlessly on a database
    /// whose `user_version` was set back by hand.
    static let v13LocalSettings = """
    CREATE TABLE IF NOT EXISTS local_setting (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        test_clock INTEGER NOT NULL DEFAULT 0 CHECK (test_clock IN (0, 1))
    );
    INSERT OR IGNORE INTO local_setting (id, test_clock) VALUES (1, 0);
    """

    /// A local mark, never synced: how far `sync status` has told this site of bookings cancelled by a
    /// conflict resolution (`local_setting.resolutions_seen_seq`, added before this script). Nothing
    /// else changes, so it runs again harmlessly.
    static let v15ResolutionsSeen = """
    UPDATE local_setting SET resolutions_seen_seq = 0 WHERE resolutions_seen_seq IS NULL;
    """
}
