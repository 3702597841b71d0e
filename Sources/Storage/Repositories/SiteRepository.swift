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
        return Self.site(row)
    }

    static let columns = "id, code, name, timezone"

    static func site(_ row: Row) -> Site {
        Site(id: row.string(0), code: row.string(1), name: row.string(2), timeZone: row.string(3))
    }

    /// Every site this database knows (its own and those sync brought in), by code.
    public func all() throws -> [Site] {
        try db.query("SELECT \(Self.columns) FROM site ORDER BY code, id").map(Self.site)
    }

    /// A site by its id, or nil when it is not here.
    public func byID(_ id: String) throws -> Site? {
        try db.first("SELECT \(Self.columns) FROM site WHERE id = ?", [id]).map(Self.site)
    }

    /// The id of the site with exactly that code, when its row is here.
    public func siteID(code: String) throws -> String? {
        try db.cachedStatement(sql: "SELECT id FROM site WHERE code = ?").first([code])?.string(0)
    }

    /// A site by its code (case-insensitive), or `not-found`.
    public func require(code: String) throws -> Site {
        guard let row = try db.first("SELECT \(Self.columns) FROM site WHERE lower(code) = lower(?) ORDER BY id LIMIT 1", [code]) else {
            throw ClinicError.notFound("site '\(code)'")
        }
        return Self.site(row)
    }

    /// The site a command acts on: the one named by `--site CODE`, else this database's own.
    public func chosen(_ code: String?) throws -> Site {
        guard let code else { return try local() }
        return try require(code: code)
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
        try zone(named: try local().timeZone)
    }

    /// The zone of any site (another site's appointments are shown in their own zone).
    public func zone(of site: Site) throws -> SiteTimeZone {
        try zone(named: site.timeZone)
    }

    /// A zone by its IANA name, kept per connection: looking a zone up by name costs more than the
    /// booking checks that need it.
    public func zone(named identifier: String) throws -> SiteTimeZone {
        let cache = db.attached(ZoneCache.init)
        if let cached = cache.zones[identifier] { return cached }
        let zone = try SiteTimeZone(identifier)
        cache.zones[identifier] = zone
        return zone
    }

    /// The zones looked up on a connection, by IANA name.
    final class ZoneCache {
        var zones: [String: SiteTimeZone] = [:]
    }
}
