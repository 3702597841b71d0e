import Models

/// The local site: created once by `init`, read by every command that needs its zone or code.
public struct SiteRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// The site this database belongs to, or `not-initialised`.
    public func local() throws -> Site {
        guard let row = try db.first("SELECT id, code, name, timezone FROM site WHERE is_local = 1") else {
            throw ClinicError(.notInitialised, "this database has no site yet; run 'clinic init' first")
        }
        return Site(id: row.string(0), code: row.string(1), name: row.string(2), timeZone: row.string(3))
    }

    /// True once `init` has run.
    public func isInitialised() throws -> Bool {
        try db.first("SELECT 1 FROM site WHERE is_local = 1") != nil
    }

    /// `clinic init`: the local site and its first admin, in one transaction. The only act that needs
    /// no actor, and only on a database that holds no site yet (`already-initialised`).
    /// With `testClock`, `CLINIC_NOW` may set this database's clock (tests and demos only). The admin's
    /// passphrase is their own (the person setting up the site chooses it).
    public func initialise(code: String, name: String, timeZone: String, admin: String, adminName: String, adminPassphrase: String,
                           testClock: Bool = false, now: Int64) throws -> Site {
        try PassphrasePolicy.validate(adminPassphrase, handle: admin)
        return try db.write { db in
            let site = try SiteRepository(db).createLocal(code: code, name: name, timeZone: timeZone, now: now)
            let staff = try StaffRepository(db).add(handle: admin, name: adminName, discipline: nil, roles: [.admin], now: now)
            try PassphraseStore(db).set(staffID: staff.id, passphrase: adminPassphrase, setBySelf: true, now: now)
            if testClock { try LocalSettings(db).enableTestClock() }
            try AuditLog(db).append(at: now, actor: admin, action: "site-init", entity: "site", entityID: site.id, patientID: nil,
                                    outcome: AuditedSession.done)
            return site
        }
    }

    /// Creates the local site; refuses a second `init` (`already-initialised`).
    package func createLocal(code: String, name: String, timeZone: String, now: Int64) throws -> Site {
        try Site.validate(code: code, name: name, timeZone: timeZone)
        if try isInitialised() {
            throw ClinicError(.alreadyInitialised, "this database already holds a site; nothing was changed")
        }
        let site = Site(id: UUIDv7.string(at: Instant.date(now)), code: code, name: name, timeZone: timeZone)
        try db.execute("INSERT INTO site (id, code, name, timezone, is_local, created_at) VALUES (?, ?, ?, ?, 1, ?)",
                       [site.id, site.code, site.name, site.timeZone, now])
        return site
    }

    /// The site's zone, ready for wall-clock conversions.
    public func zone() throws -> SiteTimeZone {
        let identifier = try local().timeZone
        // Kept per connection: looking a zone up by name costs more than the booking checks that need it.
        let cache = db.attached(ZoneCache.init)
        if let cached = cache.zone, cached.identifier == identifier { return cached }
        let zone = try SiteTimeZone(identifier)
        cache.zone = zone
        return zone
    }

    /// The site's zone as last looked up on a connection.
    final class ZoneCache {
        var zone: SiteTimeZone?
    }
}
