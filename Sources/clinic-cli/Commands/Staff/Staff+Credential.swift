import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct CredentialCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credential", abstract: "Record a regulator's credential for a scope of practice.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Scope: dry-needling, acupuncture, electro-stim or manipulation.") var scope: Scope
        @Option(help: "Regulator that issued it, e.g. OPPQ or OAQ.") var regulator: String
        @Option(help: "Licence or registration number.") var number: String
        @Option(help: "Last valid day, YYYY-MM-DD (omit if it does not expire).") var expires: String?

        func run() throws {
            let expiry = try expires.map { try CivilDate.parse($0, field: .expiry) }
            let session = try global.open()
            let credential = Credential(scope: scope, regulator: regulator, number: number, expires: expiry)
            try session.acting.addCredential(handle: handle, credential: credential)
            try session.emit(CredentialView(credential)) {
                "Recorded \(scope.rawValue) credential for '\(handle)'" + (expiry.map { ", valid to \($0)" } ?? "")
            }
        }
    }
}
