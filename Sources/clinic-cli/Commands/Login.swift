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
