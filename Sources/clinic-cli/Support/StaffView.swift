import ArgumentParser
import Models
import Storage

/// A staff member as JSON shows it.
struct StaffView: Encodable {
    let handle: String, name: String, role: String, roles: [String], active: Bool, discipline: String?, id: String
    let credentials: [CredentialView]

    init(_ staff: Practitioner, credentials: [Credential]) {
        handle = staff.handle
        name = staff.name
        role = staff.roleList
        roles = StaffRole.allCases.filter(staff.roles.contains).map(\.rawValue)
        active = staff.active
        discipline = staff.discipline?.rawValue
        id = staff.id
        self.credentials = credentials.map(CredentialView.init)
    }
}

struct CredentialView: Encodable {
    let scope: String, regulator: String, number: String, expires: String?

    init(_ credential: Credential) {
        scope = credential.scope.rawValue
        regulator = credential.regulator
        number = credential.number
        expires = credential.expires?.description
    }
}
