import ArgumentParser
import Foundation
import Models
import Storage

/// `clinic login`: proves the passphrase once and opens a session for this database.
struct Login: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Open a session for this database: later commands need no passphrase until it ends (default 10h).",
        discussion: """
            The passphrase comes from --passphrase-file, else a prompt on a terminal, else $CLINIC_PASSPHRASE when stdin \
            is not a terminal. The session's token is kept in a file readable by you alone under $XDG_STATE_HOME/clinic/ \
            (~/.local/state/clinic/); the database keeps only its hash. 5 wrong passphrases within 15 minutes lock the \
            handle for 15 minutes.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("for"), help: ArgumentHelp("How long the session lasts, e.g. 30m, 8h (at most 24h). Default 10h.", valueName: "duration"))
    var duration: String?
    @Option(help: ArgumentHelp("File whose first line is your passphrase.", valueName: "file"))
    var passphraseFile: String?

    func run() throws {
        let minutes = try duration.map(DurationText.minutes) ?? SessionToken.defaultMinutes
        let file = passphraseFile
        let session = try global.open(proving: { handle in try PassphraseInput.existing(for: handle, file: file) })
        let login = try session.acting.login(minutes: minutes)
        try SessionFiles.write(token: login.token, databaseID: session.databaseID, handle: login.handle)
        let expires = try session.zone().local(login.expiresAt)
        try session.emit(SessionView(handle: login.handle, expires_at: Instant.iso(login.expiresAt), session: true)) {
            "Logged in as '\(login.handle)' until \(expires) (site time)"
        }
    }
}

/// `clinic logout`: ends the session that proves the actor.
struct Logout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "End your open session for this database and remove its token file.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open(proving: { _ in nil })
        let ended = try session.acting.logout()
        SessionFiles.remove(tokenHash: ended.tokenHash, databaseID: session.databaseID)
        try session.emit(SessionView(handle: ended.handle, expires_at: nil, session: false)) { "Logged out '\(ended.handle)'" }
    }
}

/// `clinic whoami`: who is acting, and through which session.
struct Whoami: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show who is acting here: the open session's staff member (or the one --as names, proven).")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let who = try session.acting.whoami()
        let expires = try who.session.map { try session.zone().local($0.expiresAt) }
        try session.emit(WhoamiView(handle: who.staff.handle, name: who.staff.name, roles: StaffRole.allCases.filter(who.staff.roles.contains).map(\.rawValue),
                                    session: who.session != nil, expires_at: who.session.map { Instant.iso($0.expiresAt) })) {
            "\(who.staff.handle) (\(who.staff.name)) · \(who.staff.roleList)"
                + (expires.map { " · session until \($0)" } ?? " · proven by passphrase, no session")
        }
    }
}

/// `clinic passphrase`: change one's own passphrase.
struct ChangePassphrase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Change your own passphrase (the current one proves it is you; a clinician's signing key is sealed again under the new one).",
        discussion: "The current passphrase comes from a prompt on a terminal, else $CLINIC_PASSPHRASE; the new one from --passphrase-file or a prompt asked twice.")
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("File whose first line is the new passphrase (at least 8 characters).", valueName: "file"))
    var passphraseFile: String?

    func run() throws {
        let new = try PassphraseInput.requireNew(file: passphraseFile, what: global.actorHandle ?? "you")
        let session = try global.open()
        try session.acting.changePassphrase(to: new)
        let who = session.acting.handle ?? "you"
        try session.emit(SessionView(handle: who, expires_at: nil, session: false)) { "Changed the passphrase of '\(who)'" }
    }
}

/// `clinic recover-admin`: the database file's owner sets an admin's passphrase.
struct RecoverAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover-admin",
        abstract: "Set an admin's passphrase; only the operating-system owner of the database file may.",
        discussion: """
            The way back from a forgotten passphrase, and the first step on a database upgraded from a version without \
            passphrases. The owner of the file could edit it anyway; nobody else may. The admin's sessions end and their \
            signing key here is retired.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The admin's handle.") var handle: String
    @Option(help: ArgumentHelp("File whose first line is the new passphrase. Else a prompt on a terminal, else $CLINIC_PASSPHRASE.", valueName: "file"))
    var passphraseFile: String?

    func run() throws {
        try Practitioner.validate(handle: handle)
        let passphrase = try PassphraseInput.requireNew(file: passphraseFile, what: handle, environmentAllowed: true)
        let session = try global.open(proving: { _ in nil })
        try AdminRecovery.recover(session.db, handle: handle, passphrase: passphrase, now: session.now)
        try session.emit(SessionView(handle: handle, expires_at: nil, session: false)) {
            "Set the passphrase of admin '\(handle)'; log in with 'clinic login --as \(handle)'"
        }
    }
}

/// A session as `login` and `logout` print it.
struct SessionView: Encodable {
    let handle: String
    let expires_at: String?
    let session: Bool
}

/// `whoami --json`.
struct WhoamiView: Encodable {
    let handle: String
    let name: String
    let roles: [String]
    let session: Bool
    let expires_at: String?
}
