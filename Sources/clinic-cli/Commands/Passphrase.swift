import ArgumentParser
import Foundation
import Models
import Storage

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
