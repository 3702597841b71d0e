import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct RotateKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Retire a clinician's signing key at this site from now (admin only); old signatures keep verifying.",
            discussion: "The new key pair is made at once when admins rotate their own key, else at the clinician's next signature (it needs their passphrase).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Clinician's handle.") var handle: String

        func run() throws {
            let session = try global.open()
            let rotated = try session.acting.rotateKey(handle: handle)
            try session.emit(RotatedKeyView(handle: handle, retired: rotated.retired, new_key: rotated.newKey)) {
                "Retired \(Counted.phrase(rotated.retired, "signing key")) of '\(handle)' here"
                    + (rotated.newKey.map { "; new key \($0)" } ?? "; a new key pair is made at their next signature")
            }
        }
    }
}

/// What `staff rotate-key` did.
struct RotatedKeyView: Encodable {
    let handle: String
    let retired: Int
    let new_key: String?
}
