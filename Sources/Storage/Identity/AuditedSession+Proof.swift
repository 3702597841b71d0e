import Models

/// What a command offers to prove who is acting: the tokens of this database's session files the
/// workstation holds, and a way to get the passphrase ($CLINIC_PASSPHRASE, a prompt) when no session does.
public struct Credentials {
    /// Tokens read from this database's session files (with `--as HANDLE`, only that handle's).
    public var sessionTokens: [String]
    /// Returns the passphrase, or nil when none can be had; asked only when no session proves the actor.
    public var passphrase: () throws -> String?
    /// True only for this package's own set-up code and tests: the handle is taken as proven.
    let assumesHandle: Bool

    public init(sessionTokens: [String], passphrase: @escaping () throws -> String?) {
        self.sessionTokens = sessionTokens
        self.passphrase = passphrase
        assumesHandle = false
    }

    /// A fixed passphrase and no session, for programs driving the library (benchmarks, tools).
    public static func passphrase(_ text: String) -> Credentials {
        Credentials(sessionTokens: [], passphrase: { text })
    }

    static var assumed: Credentials { Credentials(sessionTokens: [], passphrase: { nil }, assumesHandle: true) }

    private init(sessionTokens: [String], passphrase: @escaping () throws -> String?, assumesHandle: Bool) {
        self.sessionTokens = sessionTokens
        self.passphrase = passphrase
        self.assumesHandle = assumesHandle
    }
}

/// How the acting staff member was proven, once per command.
final class ProofState {
    var actor: Actor?
    /// The open session that proved the actor, if one did.
    var session: LoginSessions.Open?
    /// The passphrase that proved the actor and what it derived, if it did: signing reuses them.
    var passphrase: String?
    var secrets: PassphraseSecrets?
    /// The passphrase was set by someone else: only `clinic passphrase` is allowed.
    var mustChange = false
    /// A right passphrase whose `authenticate` entry is still to be written: with the command's own
    /// entry, so that nothing is appended to the audit log before the command has read it (`doctor`).
    var authenticationToRecord = false
}

extension Action {
    /// Acts that prove the passphrase itself, whatever session is open: logging in, changing it.
    var needsPassphrase: Bool { self == .login || self == .passphraseChange }
}

extension AuditedSession {
    /// How the actor was proven, for `whoami`: the open session, if one did.
    public var provingSession: LoginSessions.Open? { state.session }

    /// Records secrets already derived from the actor's passphrase (the demo's set-up, which has just
    /// hashed it), so that signing does not derive them again.
    package func prove(passphrase: String, secrets: PassphraseSecrets) {
        state.passphrase = passphrase
        state.secrets = secrets
    }

    /// Proves the actor once per command (see `actor(for:)`).
    func proven(for action: Action) throws -> Actor {
        if let actor = state.actor { return actor }
        guard let handle else {
            if action.needsPassphrase {
                throw ClinicError(.actorRequired, "name who is acting with \(.actor)")
            }
            // No handle: the only open session this workstation holds for this database.
            let open = try LoginSessions(db).live(tokens: credentials.sessionTokens, now: now)
            let staffIDs = Set(open.map(\.staffID))
            guard staffIDs.count == 1, let session = open.first, let staff = try StaffRepository(db).byID(session.staffID) else {
                throw ClinicError(.actorRequired, open.isEmpty
                    ? "this command needs \(.actor) naming the acting staff member, or a session opened with 'clinic login'"
                    : "more than one session is open for this database: name the acting staff member with \(.actor)")
            }
            let actor = try StaffRepository(db).actor(staff.handle)
            state.session = session
            state.actor = actor
            return actor
        }
        let actor = try StaffRepository(db).actor(handle)
        if credentials.assumesHandle {
            state.actor = actor
            return actor
        }
        if !action.needsPassphrase,
           let session = try LoginSessions(db).live(tokens: credentials.sessionTokens, now: now).first(where: { $0.staffID == actor.id }) {
            state.session = session
            state.actor = actor
            return actor
        }
        guard let passphrase = try credentials.passphrase() else {
            throw ClinicError(.loginRequired, "'\(actor.handle)' has no open session here: run 'clinic login --as \(actor.handle)', "
                                      + "or give the passphrase (a prompt on a terminal; $CLINIC_PASSPHRASE in scripts)")
        }
        try verify(passphrase, of: actor)
        state.actor = actor
        return actor
    }

    /// Checks a passphrase of `actor` against this database's hash, after the lock-out; every attempt
    /// that reaches the check is recorded (for the lock-out) and audited. Keeps the derived secrets.
    func verify(_ passphrase: String, of actor: Actor) throws {
        if state.passphrase == passphrase, state.secrets != nil { return }
        let store = PassphraseStore(db)
        guard let stored = try store.stored(staffID: actor.id) else {
            throw ClinicError(.loginRequired, "'\(actor.handle)' has no passphrase in this database yet: an admin sets one with "
                                      + "'clinic staff reset-passphrase \(actor.handle)' (for an admin, the database file's owner may use 'clinic recover-admin')")
        }
        // The check and the attempt are one write: concurrent processes see each other's attempts, so no
        // more than the allowed number of guesses is ever derived. The attempt counts as wrong until the
        // derivation proves it right (a process killed meanwhile leaves a wrong one).
        let attempt = try db.write { db in
            let store = PassphraseStore(db)
            try store.serialiseAttempts(handle: actor.handle)
            if let until = LockOut.lockedUntil(failures: try store.failures(handle: actor.handle, now: now), now: now) {
                let minutes = max(1, (until - now + 59_999) / 60_000)
                throw ClinicError(.lockedOut, "'\(actor.handle)' is locked out after \(LockOut.attempts) wrong passphrases; try again in \(minutes) min")
            }
            return try store.reserveAttempt(handle: actor.handle, now: now)
        }
        let secrets = try PassphraseKDF.derive(passphrase, salt: stored.hash.salt, parameters: stored.hash.parameters)
        let right = PassphraseKDF.matches(secrets, stored.hash)
        try db.write { db in
            if right { try PassphraseStore(db).confirmAttempt(attempt) }
            if !right {
                try AuditLog(db).append(at: now, actor: actor.handle, action: Action.authenticate.rawValue, entity: "staff", entityID: actor.id,
                                        patientID: nil, outcome: "bad-passphrase")
            }
        }
        guard right else { throw ClinicError(.badPassphrase, "wrong passphrase for '\(actor.handle)'") }
        state.authenticationToRecord = true
        state.passphrase = passphrase
        state.secrets = secrets
        state.mustChange = stored.mustChange
    }

    /// Writes the `authenticate` entry of a right passphrase, once, inside the caller's transaction.
    func recordAuthentication(_ db: Database) throws {
        guard state.authenticationToRecord, let actor = state.actor else { return }
        try AuditLog(db).append(at: now, actor: actor.handle, action: Action.authenticate.rawValue, entity: "staff", entityID: actor.id,
                                patientID: nil, outcome: Self.done)
        state.authenticationToRecord = false
    }

    /// The secrets of the actor's passphrase, asked again for a signature (a deliberate act, even inside
    /// a session); the passphrase that proved the actor in this very command is neither asked nor derived twice.
    func signingSecrets(_ action: Action, passphrase ask: () throws -> String?) throws -> PassphraseSecrets {
        let actor = try self.actor(for: action, entity: "note")
        do {
            if state.session == nil, state.passphrase != nil, let secrets = state.secrets { return secrets }
            guard let passphrase = try ask() else {
                throw ClinicError(.loginRequired, "signing needs the passphrase of '\(actor.handle)' (a prompt on a terminal; $CLINIC_PASSPHRASE in scripts)")
            }
            try verify(passphrase, of: actor)
            guard let secrets = state.secrets else { throw ClinicError(.badPassphrase, "wrong passphrase for '\(actor.handle)'") }
            return secrets
        } catch {
            try audit(action, entity: "note", subject: Subject(), outcome: Self.outcome(of: error))
            throw error
        }
    }
}
