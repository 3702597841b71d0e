import Models

/// Staff members, their credentials, working hours and time off.
public struct StaffRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    static let columns = "id, handle, name, discipline, role, roles, active"

    static func practitioner(_ row: Row) -> Practitioner {
        let listed = row.optionalString(5).map { (try? StaffRole.parseList($0)) ?? [] }
        return Practitioner(id: row.string(0), handle: row.string(1), name: row.string(2),
                            discipline: row.optionalString(3).flatMap(Discipline.init(rawValue:)),
                            roles: listed ?? StaffRole(rawValue: row.string(4)).map { [$0] } ?? [],
                            active: row.int(6) != 0)
    }

    /// Adds a staff member; refuses a handle already taken (`duplicate`).
    @discardableResult
    package func add(handle: String, name: String, discipline: Discipline?, roles: Set<StaffRole>, now: Int64) throws -> Practitioner {
        try Practitioner.validate(handle: handle)
        try Practitioner.validate(roles: roles, discipline: discipline)
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.invalidName, "\(.name) must not be empty")
        }
        try PlainText.require(name, field: .name)
        try db.serialiseWrites(on: "staff-handle")
        if try find(handle) != nil {
            throw ClinicError(.duplicate, "staff handle '\(handle)' is already taken")
        }
        let staff = Practitioner(id: UUIDv7.string(at: Instant.date(now)), handle: handle, name: name,
                                 discipline: discipline, roles: roles)
        try db.execute("INSERT INTO staff (id, handle, name, discipline, role, roles, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [staff.id, staff.handle, staff.name, staff.discipline?.rawValue, Self.primary(roles).rawValue, staff.roleList, now])
        return staff
    }

    /// The single role the older `role` column keeps: the first held, in the table's order.
    static func primary(_ roles: Set<StaffRole>) -> StaffRole {
        StaffRole.allCases.first(where: roles.contains) ?? .clinician
    }

    /// Changes a member's roles and, for a clinician, their discipline; synced like any edit.
    package func setRoles(handle: String, roles: Set<StaffRole>, discipline: Discipline?) throws -> Practitioner {
        let staff = try require(handle)
        let discipline = discipline ?? staff.discipline
        try Practitioner.validate(roles: roles, discipline: discipline)
        try db.execute("UPDATE staff SET role = ?, roles = ?, discipline = ? WHERE id = ?",
                       [Self.primary(roles).rawValue, StaffRole.list(roles), discipline?.rawValue, staff.id])
        return try require(handle)
    }

    /// Deactivates a member: their history stays, but they may no longer act at any site.
    package func deactivate(handle: String) throws -> Practitioner {
        let staff = try require(handle)
        guard staff.active else { throw ClinicError(.invalidTransition, "'\(handle)' is already deactivated") }
        try db.execute("UPDATE staff SET active = 0 WHERE id = ?", [staff.id])
        return try require(handle)
    }

    /// The acting member behind a handle: an unknown or deactivated handle may do nothing (`forbidden`).
    public func actor(_ handle: String) throws -> Actor {
        let found = try find(handle)
        guard let staff = found, staff.active else {
            // Only a member's handle is named: whatever else was typed after --as could be anything, a passphrase
            // or a patient's name included.
            let named = found != nil ? "'\(handle)'" : "the handle given"
            throw ClinicError(.forbidden, "\(named) is not an active staff member of this clinic")
        }
        return Actor(staff)
    }

    /// The member with this handle. When sync has brought two rows under one handle (a `duplicate-handle`
    /// conflict, until one is renamed), the one whose passphrase this database holds comes first: that is
    /// who can prove the handle here.
    public func find(_ handle: String) throws -> Practitioner? {
        try db.first("""
            SELECT \(Self.columns) FROM staff s WHERE handle = ?
            ORDER BY EXISTS (SELECT 1 FROM staff_secret x WHERE x.staff_id = s.id) DESC, s.\(db.dialect.rowid)
            """, [handle]).map(Self.practitioner)
    }

    /// Every member holding this handle: one, or several while a `duplicate-handle` conflict stands.
    public func all(handle: String) throws -> [Practitioner] {
        try db.query("SELECT \(Self.columns) FROM staff WHERE handle = ? ORDER BY id", [handle]).map(Self.practitioner)
    }

    /// The member a person named by handle or by id suffix (≥ 8 hex digits). A handle two rows share
    /// (brought together by sync) is refused `ambiguous`, naming each by id suffix and the site that
    /// created it, so the right one can be named by its suffix.
    public func resolve(_ text: String) throws -> Practitioner {
        let holders = try all(handle: text)
        if let only = holders.first, holders.count == 1 { return only }
        if holders.count > 1 {
            let log = ChangeLogStore(db)
            let choices = try holders.map { staff in
                let site = try log.firstStamp(table: "staff", row: staff.id)?.origin
                return IDSuffix.short(staff.id) + (site.map { " (created at \($0))" } ?? "")
            }
            throw ClinicError(.ambiguous, "\(holders.count) staff members have the handle '\(text)' (\(choices.joined(separator: ", "))); "
                                          + "name one by its id suffix")
        }
        guard IDSuffix.normalise(text) != nil else { throw try unknownHandle(text) }
        let id = try db.resolveID(table: "staff", text, what: "staff member")
        guard let staff = try byID(id) else { throw ClinicError.notFound("staff member '\(text)'") }
        return staff
    }

    /// Gives a member a new handle: a synced change of their row, so every site knows them by it after
    /// sync. Refuses a handle any member already holds (`duplicate`); their id, passphrase, keys,
    /// sessions and history stay. The lock-out's record of wrong passphrases follows them when their
    /// passphrase is kept here.
    package func rename(_ staff: Practitioner, to handle: String) throws -> Practitioner {
        try Practitioner.validate(handle: handle)
        if try find(handle) != nil {
            throw ClinicError(.duplicate, "staff handle '\(handle)' is already taken")
        }
        try db.execute("UPDATE staff SET handle = ? WHERE id = ?", [handle, staff.id])
        if try PassphraseStore(db).stored(staffID: staff.id) != nil {
            try PassphraseStore(db).moveAttempts(from: staff.handle, to: handle)
        }
        guard let renamed = try byID(staff.id) else { throw ClinicError.notFound("staff member '\(handle)'") }
        return renamed
    }

    /// The staff member with this handle, or `not-found`.
    public func require(_ handle: String) throws -> Practitioner {
        guard let staff = try find(handle) else { throw try unknownHandle(handle) }
        return staff
    }

    /// `not-found` for a handle nobody holds, with the nearest handle when it looks like a typo.
    func unknownHandle(_ handle: String) throws -> ClinicError {
        let hint = Suggestion.phrase(for: handle, among: try all().map(\.handle))
        return ClinicError(.notFound, "staff member '\(handle)' not found\(hint)")
    }

    public func byID(_ id: String) throws -> Practitioner? {
        try db.first("SELECT \(Self.columns) FROM staff WHERE id = ?", [id]).map(Self.practitioner)
    }

    public func all() throws -> [Practitioner] {
        try db.query("SELECT \(Self.columns) FROM staff ORDER BY handle").map(Self.practitioner)
    }

    /// Records a credential for a scope; a clinician may hold several (renewals, regulators).
    package func addCredential(handle: String, credential: Credential, now: Int64) throws {
        let staff = try require(handle)
        guard staff.isClinician else {
            throw ClinicError(.notAClinician, "only clinicians hold clinical credentials")
        }
        guard !credential.regulator.isEmpty, !credential.number.isEmpty else {
            throw ClinicError(.invalidCredential, "\(.regulator) and \(.credentialNumber) must not be empty")
        }
        try PlainText.require(credential.regulator, field: .regulator)
        try PlainText.require(credential.number, field: .credentialNumber)
        try db.execute("INSERT INTO credential (id, staff_id, scope, regulator, number, expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [UUIDv7.string(at: Instant.date(now)), staff.id, credential.scope.rawValue, credential.regulator,
                        credential.number, credential.expires?.description, now])
    }

    public func credentials(staffID: String) throws -> [Credential] {
        try db.query("SELECT scope, regulator, number, expires FROM credential WHERE staff_id = ? ORDER BY scope, expires", [staffID])
            .compactMap { row in
                guard let scope = Scope(rawValue: row.string(0)) else { return nil }
                return Credential(scope: scope, regulator: row.string(1), number: row.string(2),
                                  expires: row.optionalString(3).flatMap(CivilDate.parse))
            }
    }
}
