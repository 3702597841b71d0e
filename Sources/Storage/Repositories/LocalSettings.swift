import Models

/// Settings of this database file alone, never synced to other sites (table `local_setting`).
public struct LocalSettings {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// True in a database made by `clinic demo` or `clinic init --test-clock`: only there may
    /// `CLINIC_NOW` set the clock.
    public func testClock() throws -> Bool {
        try db.first("SELECT test_clock FROM local_setting WHERE id = 1")?.bool(0) ?? false
    }

    /// Puts a database being made on the test clock. Called in the transaction that creates its site,
    /// so a refused `init` or `demo` leaves the setting as it was.
    public func enableTestClock() throws {
        try db.execute("UPDATE local_setting SET test_clock = 1 WHERE id = 1")
    }

    /// A random id naming this database file in the workstation's session files.
    public func databaseID() throws -> String {
        try db.first("SELECT database_id FROM local_setting WHERE id = 1")?.optionalString(0) ?? "unnamed"
    }

    /// The newest change (`change.seq`) this database held when `sync status` last told its desk of
    /// bookings cancelled by a conflict resolution; 0 before the first look.
    public func resolutionsSeenThrough() throws -> Int64 {
        try db.first("SELECT resolutions_seen_seq FROM local_setting WHERE id = 1")?.optionalInt(0) ?? 0
    }

    /// Records the look: cancellations that arrived up to change `seq` have been shown.
    public func setResolutionsSeen(through seq: Int64) throws {
        try db.execute("UPDATE local_setting SET resolutions_seen_seq = ? WHERE id = 1", [seq])
    }
}
