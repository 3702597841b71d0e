import ArgumentParser
import Models
import Storage
import Sync

struct SyncKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Print this site's public keys as one line to give to other sites ('sync trust --key').")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try global.open()
        let keys = try session.acting.siteKeys()
        try session.emit(["site": keys.code, "key": keys.publicLine, "key_id": keys.keyID]) { keys.publicLine }
    }
}
