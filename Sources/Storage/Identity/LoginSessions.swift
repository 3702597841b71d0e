import Models

/// Login sessions: the token's hash, whose session it is and until when. The token itself lives
/// only in the workstation's 0600 file.
public struct LoginSessions {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One open session.
    public struct Open: Sendable, Equatable {
        public var tokenHash: String
        public var staffID: String
        public var openedAt: Int64
        public var expiresAt: Int64
    }

    /// The open, unexpired sessions among `tokens`.
    public func live(tokens: [String], now: Int64) throws -> [Open] {
        var found: [Open] = []
        for token in tokens where SessionToken.isWellFormed(token) {
            if let row = try db.first("""
                SELECT token_hash, staff_id, opened_at, expires_at FROM login_session
                WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?
                """, [SessionToken.hash(token), now]) {
                found.append(Open(tokenHash: row.string(0), staffID: row.string(1), openedAt: row.int(2), expiresAt: row.int(3)))
            }
        }
        return found
    }

    /// Opens a session and returns its token (to be written to the workstation's file).
    package func open(staffID: String, minutes: Int, now: Int64) throws -> (token: String, expiresAt: Int64) {
        let token = SessionToken.generate()
        let expires = now + Int64(minutes) * 60_000
        try db.execute("INSERT INTO login_session (token_hash, staff_id, opened_at, expires_at) VALUES (?, ?, ?, ?)",
                       [SessionToken.hash(token), staffID, now, expires])
        return (token, expires)
    }

    /// Ends one session.
    package func end(tokenHash: String, now: Int64) throws {
        try db.execute("UPDATE login_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL", [now, tokenHash])
    }

    /// Ends every session of a member (a reset, a deactivation, a recovered passphrase).
    package func endAll(staffID: String, now: Int64) throws {
        try db.execute("UPDATE login_session SET ended_at = ? WHERE staff_id = ? AND ended_at IS NULL", [now, staffID])
    }
}
