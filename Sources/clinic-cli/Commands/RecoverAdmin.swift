import ArgumentParser
import Foundation
import Models
import Storage

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
