import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List staff with their credentials.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let session = try global.open()
            let views = try session.acting.staffList().map { StaffView($0.staff, credentials: $0.credentials) }
            try session.emit(["staff": views]) {
                var table = TextTable("HANDLE", "NAME", "ROLE", "DISCIPLINE", "SCOPES")
                // Two members under one handle (brought together by sync) are told apart by id suffix, the name 'staff rename' takes.
                let shared = Dictionary(grouping: views, by: \.handle).filter { $0.value.count > 1 }
                for v in views {
                    let scopes = v.credentials.map { $0.scope + ($0.expires.map { " (to \($0))" } ?? "") }.joined(separator: ", ")
                    table.add(shared[v.handle] == nil ? v.handle : "\(v.handle) (…\(IDSuffix.short(v.id)))", v.name, v.active ? v.role : v.role + " (deactivated)", v.discipline ?? "—", scopes.isEmpty ? "—" : scopes)
                }
                return table.render()
            }
        }
    }
}
