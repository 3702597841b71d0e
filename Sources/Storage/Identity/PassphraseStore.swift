import Models

/// Staff passphrases as this database keeps them: scrypt hashes (never synced) and the record of
/// attempts that drives the lock-out.
public struct PassphraseStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A member's stored hash, and whether it was set by someone else (then it only allows `clinic passphrase`).
    public struct Stored: Sendable {
        public var hash: PassphraseHash
        public var mustChange: Bool
    }

    public func stored(staffID: String) throws -> Stored? {
        try db.first("SELECT log_n, r, p, salt, verifier, must_change FROM staff_secret WHERE staff_id = ?", [staffID]).map {
            Stored(hash: PassphraseHash(parameters: ScryptParameters(logN: Int($0.int(0)), r: Int($0.int(1)), p: Int($0.int(2))),
                                        salt: $0.string(3), verifier: $0.string(4)),
                   mustChange: $0.bool(5))
        }
    }

    /// Hashes and stores a new passphrase (after the policy), replacing any before it; `setBySelf`
    /// false marks it as one its owner must change. Returns the secrets derived on the way.
    @discardableResult
    package func set(staffID: String, passphrase: String, setBySelf: Bool, now: Int64) throws -> PassphraseSecrets {
        try PassphrasePolicy.validate(passphrase)
        return try store(staffID: staffID, hashing: passphrase, setBySelf: setBySelf, now: now)
    }

    /// Stores a passphrase without the length policy: the demo's shared `demo`, printed for anyone to use.
    package func store(staffID: String, hashing passphrase: String, setBySelf: Bool, now: Int64) throws -> PassphraseSecrets {
        let (hash, secrets) = try PassphraseKDF.hash(passphrase)
        try db.execute("""
            INSERT INTO staff_secret (staff_id, log_n, r, p, salt, verifier, must_change, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (staff_id) DO UPDATE SET log_n = excluded.log_n, r = excluded.r, p = excluded.p, salt = excluded.salt,
                verifier = excluded.verifier, must_change = excluded.must_change, set_at = excluded.set_at
            """, [staffID, hash.parameters.logN, hash.parameters.r, hash.parameters.p, hash.salt, hash.verifier, setBySelf ? 0 : 1, now])
        return secrets
    }

    /// Holds `handle`'s attempts until the write ends, so that concurrent attempts count one after the
    /// other (SQLite's `BEGIN IMMEDIATE` already serialises; at PostgreSQL's READ COMMITTED each would
    /// see the same earlier attempts and more than the allowed number would be derived).
    func serialiseAttempts(handle: String) throws {
        try db.serialiseWrites(on: "passphrase-attempt:" + handle)
    }

    /// Wrong passphrases for `handle` since its last right one, within the lock-out's reach.
    func failures(handle: String, now: Int64) throws -> [Int64] {
        let since = now - LockOut.window - LockOut.duration
        let lastSuccess = try db.first("SELECT max(at) FROM passphrase_attempt WHERE handle = ? AND ok = 1 AND at >= ?", [handle, since])?
            .optionalInt(0) ?? since
        return try db.query("SELECT at FROM passphrase_attempt WHERE handle = ? AND ok = 0 AND at >= ? AND at > ? ORDER BY at",
                            [handle, since, lastSuccess]).map { $0.int(0) }
    }

    /// Records an attempt as wrong before its passphrase is derived; returns its number for `confirmAttempt`
    /// (attempts refused while locked out are not recorded here).
    func reserveAttempt(handle: String, now: Int64) throws -> Int64 {
        try db.first("INSERT INTO passphrase_attempt (handle, at, ok) VALUES (?, ?, 0) RETURNING seq", [handle, now])?.int(0) ?? 0
    }

    /// Moves the attempts recorded under a handle to the member's new one (`staff rename`): a lock-out
    /// is not lifted by a new name, nor passed on to whoever takes the old one.
    func moveAttempts(from old: String, to new: String) throws {
        try db.execute("UPDATE passphrase_attempt SET handle = ? WHERE handle = ?", [new, old])
    }

    /// Marks a reserved attempt right.
    func confirmAttempt(_ seq: Int64) throws {
        try db.execute("UPDATE passphrase_attempt SET ok = 1 WHERE seq = ?", [seq])
    }
}
