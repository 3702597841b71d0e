import ArgumentParser
import Models
import Storage
import Sync

struct SyncDigest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "SHA-256 of all synced content: equal at two sites exactly when their data is equal.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let digest = try session.acting.digest()
        try session.emit(["digest": digest]) { digest }
    }
}
