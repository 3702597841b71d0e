import ArgumentParser
import Foundation
import Models
import Storage

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
