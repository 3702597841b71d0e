import Models

/// Site administration as the acting staff member: staff, credentials, services and rooms are
/// admin-only in the permission table, and every attempt is audited.
extension AuditedSession {
    /// Adds a staff member with one or several roles.
    /// The member's first passphrase, when given, is one they must change before doing anything else.
    public func addStaff(handle: String, name: String, discipline: Discipline?, roles: Set<StaffRole>, passphrase: String? = nil) throws -> Practitioner {
        if let passphrase { try PassphrasePolicy.validate(passphrase, handle: handle) }
        return try run(.staffAdd, entity: "staff") { db, _, subject in
            let staff = try StaffRepository(db).add(handle: handle, name: name, discipline: discipline, roles: roles, now: now)
            subject.entityID = staff.id
            if let passphrase { try PassphraseStore(db).set(staffID: staff.id, passphrase: passphrase, setBySelf: false, now: now) }
            return staff
        }
    }

    /// Changes a member's roles (and discipline); the last active admin cannot give up the role.
    public func setRoles(handle: String, roles: Set<StaffRole>, discipline: Discipline?) throws -> Practitioner {
        try run(.staffEdit, entity: "staff") { db, _, subject in
            let repository = StaffRepository(db)
            let current = try repository.require(handle)
            subject.entityID = current.id
            if current.roles.contains(.admin), !roles.contains(.admin) { try requireAnotherAdmin(db, besides: current) }
            return try repository.setRoles(handle: handle, roles: roles, discipline: discipline)
        }
    }

    /// Deactivates a member at every site (a synced change); the last active admin cannot be. Their
    /// sessions end and their signing keys are retired from now, everywhere.
    public func deactivateStaff(handle: String) throws -> Practitioner {
        try run(.staffDeactivate, entity: "staff") { db, _, subject in
            let repository = StaffRepository(db)
            let current = try repository.require(handle)
            subject.entityID = current.id
            if current.roles.contains(.admin) { try requireAnotherAdmin(db, besides: current) }
            let deactivated = try repository.deactivate(handle: handle)
            try LoginSessions(db).endAll(staffID: current.id, now: now)
            try SigningKeys(db).retire(staffID: current.id, everywhere: true, now: now)
            return deactivated
        }
    }

    /// Gives a member a new handle at every site (a synced change of their row): `member` is a handle, or
    /// an id suffix when sync has brought two members under one handle (then the bare handle is
    /// `ambiguous`). Renaming one of them ends the `duplicate-handle` conflict everywhere.
    /// Returns the handle they had and the member as renamed.
    public func renameStaff(_ member: String, to handle: String) throws -> (previous: String, staff: Practitioner) {
        try run(.staffRename, entity: "staff") { db, _, subject in
            let repository = StaffRepository(db)
            let current = try repository.resolve(member)
            subject.entityID = current.id
            return (current.handle, try repository.rename(current, to: handle))
        }
    }

    /// A site always keeps one active admin, or nobody could administer it through clinic again.
    private func requireAnotherAdmin(_ db: Database, besides staff: Practitioner) throws {
        let others = try StaffRepository(db).all().filter { $0.id != staff.id && $0.active && $0.roles.contains(.admin) }
        guard !others.isEmpty else {
            throw ClinicError(.lastAdmin, "'\(staff.handle)' is the only active admin; add another admin first")
        }
    }

    /// Records a regulator's credential for a clinician.
    public func addCredential(handle: String, credential: Credential) throws {
        try run(.credentialAdd, entity: "credential") { db, _, subject in
            subject.entityID = try StaffRepository(db).require(handle).id
            try StaffRepository(db).addCredential(handle: handle, credential: credential, now: now)
        }
    }

    /// Adds a service to the catalogue.
    public func addService(slug: String, name: String, durationMinutes: Int, discipline: Discipline, requires: Scope?) throws -> Service {
        try run(.serviceAdd, entity: "service") { db, _, subject in
            let service = try ServiceRepository(db).add(slug: slug, name: name, durationMinutes: durationMinutes, discipline: discipline,
                                                        requires: requires, now: now)
            subject.entityID = service.id
            return service
        }
    }

    /// Offers a catalogue service at a site; `added` is false when it was offered there already.
    public func offerService(slug: String, siteCode: String) throws -> (service: Service, site: Site, added: Bool) {
        try run(.serviceOffer, entity: "service") { db, _, subject in
            let service = try ServiceRepository(db).require(slug)
            subject.entityID = service.id
            let site = try SiteRepository(db).require(code: siteCode)
            return (service, site, try ServiceRepository(db).offer(service, at: site))
        }
    }

    /// Closes a site (this database's own unless `siteCode`) on a day, or with `reopening` opens it
    /// again; returns the site and, when closed, the closure.
    public func setClosed(on date: CivilDate, reason: String?, siteCode: String? = nil, reopening: Bool) throws -> (site: Site, closure: SiteClosure?) {
        try run(reopening ? .siteReopen : .siteClose, entity: "site") { db, _, subject in
            let site = try SiteRepository(db).chosen(siteCode)
            subject.entityID = SiteClosure.id(siteID: site.id, date: date)
            let closures = ClosureRepository(db)
            if reopening {
                try closures.reopen(site: site, date: date)
                return (site, nil)
            }
            try closures.close(site: site, date: date, reason: reason)
            return (site, try closures.closure(siteID: site.id, on: date))
        }
    }

    /// Adds a room at a site: this database's own unless `siteCode` names another.
    public func addRoom(name: String, kind: RoomKind, siteCode: String? = nil) throws -> (room: Room, site: Site) {
        try run(.roomAdd, entity: "room") { db, _, subject in
            let site = try SiteRepository(db).chosen(siteCode)
            let room = try RoomRepository(db).add(name: name, kind: kind, site: site, now: now)
            subject.entityID = room.id
            return (room, site)
        }
    }
}

/// The set-up lists every role reads (quiet: no audit entry unless refused).
extension AuditedSession {
    /// Every staff member with their credentials, by handle.
    public func staffList() throws -> [(staff: Practitioner, credentials: [Credential])] {
        try read(.staffList, entity: "staff") { db, _ in
            let repository = StaffRepository(db)
            return try repository.all().map { ($0, try repository.credentials(staffID: $0.id)) }
        }
    }

    /// The rooms of a site: this database's own unless `siteCode` names another.
    public func rooms(siteCode: String? = nil) throws -> (site: Site, rooms: [Room]) {
        try read(.roomList, entity: "room") { db, _ in
            let site = try SiteRepository(db).chosen(siteCode)
            return (site, try RoomRepository(db).at(siteID: site.id))
        }
    }

    /// The service catalogue, each service with the codes of the sites that offer it.
    public func services() throws -> [(service: Service, sites: [String])] {
        try read(.serviceList, entity: "service") { db, _ in
            let repository = ServiceRepository(db)
            return try repository.all().map { ($0, try repository.sites(offering: $0.id)) }
        }
    }
}

extension AuditedSession {
    /// Runs every health check of the database (admin only; audited).
    public func examine() throws -> [Doctor.Finding] {
        try perform(.doctor, entity: "site") { _ in try Doctor(db).examine() }
    }
}
