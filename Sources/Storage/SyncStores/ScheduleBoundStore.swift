/// The longest appointment stored (`schedule_bound`), which bounds the overlap searches from below.
public struct ScheduleBoundStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// The longest appointment's duration in milliseconds (0 for none).
    public func maxDuration() throws -> Int64 {
        try db.first("SELECT value FROM schedule_bound WHERE key = 'max_duration_ms'")?.int(0) ?? 0
    }

    /// Raises the stored bound to `millis` when it is larger; never lowers it.
    public func raiseMaxDuration(to millis: Int64) throws {
        try db.execute("UPDATE schedule_bound SET value = ? WHERE key = 'max_duration_ms' AND value < ?", [millis, millis])
    }
}
