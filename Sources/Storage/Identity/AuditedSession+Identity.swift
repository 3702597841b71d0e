import Foundation
import Models

/// Logging in and out, one's own passphrase, and an admin's resets and key rotations.
extension AuditedSession {
    /// A session just opened: its token goes to the workstation's file, never to the database.
    public struct Login: Sendable {
        public var handle: String
        public var token: String
        public var expiresAt: Int64
    }

    /// Checks the passphrase (never an open session) and opens a session of `minutes`.
    public func login(minutes: Int) throws -> Login {
        guard (1...SessionToken.maximumMinutes).contains(minutes) else {
            throw ClinicError(.outOfRange, "\(.sessionLength) must be between 1m and \(SessionToken.maximumMinutes / 60)h")
        }
        return try run(.login, entity: "staff") { db, actor, subject in
            subject.entityID = actor.id
            let opened = try LoginSessions(db).open(staffID: actor.id, minutes: minutes, now: now)
            return Login(handle: actor.handle, token: opened.token, expiresAt: opened.expiresAt)
        }
    }

    /// Ends the session that proved the actor; the token hash it ended is returned so the file can go too.
    public func logout() throws -> (handle: String, tokenHash: String) {
        try run(.logout, entity: "staff") { db, actor, subject in
            subject.entityID = actor.id
            guard let session = provingSession else {
                throw ClinicError(.notLoggedIn, "'\(actor.handle)' has no open session here")
            }
            try LoginSessions(db).end(tokenHash: session.tokenHash, now: now)
            return (actor.handle, session.tokenHash)
        }
    }

    /// Who is acting, and through which session (nil when proven by a passphrase).
    public func whoami() throws -> (staff: Practitioner, session: LoginSessions.Open?) {
        try read(.whoami, entity: "staff") { _, actor in (actor.staff, provingSession) }
    }

    /// Changes one's own passphrase, proven by the current one: a clinician's private keys are sealed
    /// again under the new one; after a passphrase set by someone else, a new key pair is made.
    public func changePassphrase(to new: String) throws {
        try PassphrasePolicy.validate(new, handle: handle)
        try run(.passphraseChange, entity: "staff") { db, actor, subject in
            subject.entityID = actor.id
            try PassphrasePolicy.validate(new, handle: actor.handle)
            guard let old = state.secrets, let oldText = state.passphrase else {
                throw ClinicError(.loginRequired, "changing a passphrase needs the current one")
            }
            guard new != oldText else { throw ClinicError(.samePassphrase, "the new passphrase must differ from the current one") }
            let secrets = try PassphraseStore(db).set(staffID: actor.id, passphrase: new, setBySelf: true, now: now)
            let keys = SigningKeys(db)
            if state.mustChange {
                try keys.retire(staffID: actor.id, everywhere: false, now: now)
            } else {
                try keys.reseal(staffID: actor.id, from: old, to: secrets)
            }
            if actor.staff.isClinician { _ = try keys.current(staffID: actor.id, secrets: secrets, now: now) }
            state.mustChange = false
            state.passphrase = new
            state.secrets = secrets
        }
    }

    /// An admin sets another member's passphrase (one they must change), ends their sessions and
    /// retires their signing key here from now.
    public func resetPassphrase(handle target: String, to passphrase: String) throws {
        try PassphrasePolicy.validate(passphrase, handle: target)
        try run(.staffResetPassphrase, entity: "staff") { db, actor, subject in
            let staff = try StaffRepository(db).require(target)
            subject.entityID = staff.id
            guard staff.id != actor.id else {
                throw ClinicError(.invalidTarget, "change your own passphrase with 'clinic passphrase'")
            }
            try PassphraseStore(db).set(staffID: staff.id, passphrase: passphrase, setBySelf: false, now: now)
            try LoginSessions(db).endAll(staffID: staff.id, now: now)
            try SigningKeys(db).retire(staffID: staff.id, everywhere: false, now: now)
        }
    }

    /// Retires a clinician's signing key here from now; old signatures keep verifying with the old
    /// public key. The new pair is made at once for oneself, else at the member's next signature.
    public func rotateKey(handle target: String) throws -> (retired: Int, newKey: String?) {
        try run(.staffRotateKey, entity: "staff") { db, actor, subject in
            let staff = try StaffRepository(db).require(target)
            subject.entityID = staff.id
            guard staff.isClinician else { throw ClinicError(.notAClinician, "only clinicians have signing keys") }
            let keys = SigningKeys(db)
            let retired = try keys.retire(staffID: staff.id, everywhere: false, now: now)
            var made: String?
            if staff.id == actor.id, let secrets = state.secrets { made = try keys.create(staffID: staff.id, secrets: secrets, now: now).keyID }
            return (retired, made)
        }
    }

    /// The public keys of a member (any role may read these: they verify signatures).
    public func signingKeys(handle target: String) throws -> [ClinicianPublicKey] {
        try read(.staffList, entity: "staff") { db, _ in try SigningKeys(db).keys(staffID: try StaffRepository(db).require(target).id) }
    }
}

/// The way back from a forgotten admin passphrase, for whoever owns the database file.
public enum AdminRecovery {
    /// Sets an active admin's passphrase (their own from now), ends their sessions and retires their
    /// key here. Only the operating-system owner of the database file may (`forbidden` for anyone
    /// else): they could edit the file anyway. Audited with no staff actor.
    public static func recover(_ db: Database, handle: String, passphrase: String, now: Int64) throws {
        try PassphrasePolicy.validate(passphrase, handle: handle)
        do {
            guard FileOwnership.isOwnedByCurrentUser(db.path) else {
                throw ClinicError(.forbidden, "only the operating-system owner of the database file may recover an admin")
            }
            try db.write { db in
                guard let staff = try StaffRepository(db).find(handle), staff.active, staff.roles.contains(.admin) else {
                    throw ClinicError(.notFound, "no active admin has this handle")
                }
                try PassphraseStore(db).set(staffID: staff.id, passphrase: passphrase, setBySelf: true, now: now)
                try LoginSessions(db).endAll(staffID: staff.id, now: now)
                try SigningKeys(db).retire(staffID: staff.id, everywhere: false, now: now)
                try AuditLog(db).append(at: now, actor: "-", action: Action.recoverAdmin.rawValue, entity: "staff", entityID: staff.id,
                                        patientID: nil, outcome: AuditedSession.done)
            }
        } catch {
            try db.write { db in
                try AuditLog(db).append(at: now, actor: "-", action: Action.recoverAdmin.rawValue, entity: "staff", entityID: nil,
                                        patientID: nil, outcome: AuditedSession.outcome(of: error))
            }
            throw error
        }
    }
}

/// Who owns a file, by the operating system's account.
enum FileOwnership {
    /// `stat` follows links: the owner of the database file itself, not of a link to it that anyone could make.
    static func isOwnedByCurrentUser(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_uid == getuid()
    }
}
