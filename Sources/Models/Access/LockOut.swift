/// When wrong passphrases lock a handle: 5 wrong within 15 minutes lock it for the next 15 minutes.
public enum LockOut {
    public static let attempts = 5
    public static let window: Int64 = 15 * 60_000
    public static let duration: Int64 = 15 * 60_000

    /// The end of the lock-out in force at `now`, or nil. `failures` are the instants of wrong
    /// passphrases since the handle's last right one (attempts refused while locked are not among them).
    public static func lockedUntil(failures: [Int64], now: Int64) -> Int64? {
        let sorted = failures.sorted()
        var until: Int64?
        if sorted.count >= attempts {
            for index in (attempts - 1)..<sorted.count where sorted[index] - sorted[index - attempts + 1] < window {
                until = max(until ?? 0, sorted[index] + duration)
            }
        }
        guard let until, now < until else { return nil }
        return until
    }
}
