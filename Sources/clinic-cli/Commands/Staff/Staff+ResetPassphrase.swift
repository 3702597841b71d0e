import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct ResetPassphrase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-passphrase",
            abstract: "Set another member's passphrase (admin only): it allows only 'clinic passphrase' until they choose their own.",
            discussion: "Their open sessions end and their signing key at this site is retired from now; a new key pair is made when they set their own passphrase.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: ArgumentHelp("File whose first line is the new passphrase. Else a prompt on a terminal.", valueName: "file"))
        var passphraseFile: String?

        func run() throws {
            let passphrase = try PassphraseInput.requireNew(file: passphraseFile, what: handle)
            let session = try global.open()
            try session.acting.resetPassphrase(handle: handle, to: passphrase)
            try session.emit(ResetPassphraseView(handle: handle, must_change: true)) {
                "Reset the passphrase of '\(handle)': their sessions ended and their signing key here is retired; they must choose their own with 'clinic passphrase'"
            }
        }
    }
}

/// What `staff reset-passphrase` did.
struct ResetPassphraseView: Encodable {
    let handle: String
    let must_change: Bool
}
