import ArgumentParser
import Models
import Storage
import Sync

struct SyncTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Trust another site's key (its logs are accepted and exports to it are encrypted for it); list or revoke.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Site code of the peer, e.g. QC.") var site: String?
    @Option(help: "The line the peer's 'clinic sync key' printed.") var key: String?
    @Flag(help: "List trusted sites.") var list = false
    @Option(help: "Stop trusting this site's key.") var revoke: String?

    func validate() throws {
        let modes = [site != nil || key != nil, list, revoke != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give --site with --key, or --list, or --revoke CODE") }
        if (site == nil) != (key == nil) { throw ValidationError("--site and --key go together") }
    }

    struct View: Encodable { let site: String, key_id: String, trusted_at: String, revoked_at: String? }

    func run() throws {
        let session = try global.open()
        if let site, let key {
            let trusted = try session.acting.trust(site: site, keyLine: key)
            try session.emit(View(site: trusted.code, key_id: trusted.keyID, trusted_at: Instant.iso(trusted.trustedAt), revoked_at: nil)) {
                "Trusted site \(trusted.code) (key \(trusted.keyID))"
            }
        } else if let revoke {
            try session.acting.revokeTrust(site: revoke)
            try session.emit(["revoked": revoke]) { "Revoked site \(revoke): its change logs are refused from now on" }
        } else {
            let sites = try session.acting.trustedSites()
            try session.emit(["trusted": sites.map { View(site: $0.code, key_id: $0.keyID, trusted_at: Instant.iso($0.trustedAt), revoked_at: $0.revokedAt.map(Instant.iso)) }]) {
                guard !sites.isEmpty else { return "No trusted sites." }
                let times = try session.times()
                var table = TextTable("SITE", "KEY ID", "TRUSTED", "REVOKED")
                for s in sites { table.add(s.code, s.keyID, times.local(s.trustedAt), s.revokedAt.map(times.local) ?? "") }
                return table.render()
            }
        }
    }
}
