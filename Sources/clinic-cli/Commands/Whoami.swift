import ArgumentParser
import Foundation
import Models
import Storage

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

/// `whoami --json`.
struct WhoamiView: Encodable {
    let handle: String
    let name: String
    let roles: [String]
    let session: Bool
    let expires_at: String?
}
