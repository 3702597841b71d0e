import Models

/// Bookable services (`dn-30`, `acu-45`): a catalogue shared by the network, each offered at chosen sites.
public struct ServiceRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a service to the network's catalogue, offered at this database's site; slugs are unique (`duplicate`).
    @discardableResult
    package func add(slug: String, name: String, durationMinutes: Int, discipline: Discipline, requires: Scope?, now: Int64) throws -> Service {
        try Service.validate(slug: slug)
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.invalidName, "\(.name) must not be empty")
        }
        try PlainText.require(name, field: .name)
        try db.serialiseWrites(on: "service-slug")
        if try find(slug) != nil {
            throw ClinicError(.duplicate, "service '\(slug)' already exists")
        }
        let service = Service(id: UUIDv7.string(at: Instant.date(now)), slug: slug, name: name,
                              durationMinutes: durationMinutes, discipline: discipline, requires: requires)
        try db.execute("INSERT INTO service (id, slug, name, duration_min, discipline, requires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [service.id, slug, name, durationMinutes, discipline.rawValue, requires?.rawValue, now])
        try offer(service, at: try SiteRepository(db).local())
        return service
    }

    /// Offers a service at a site; true when it was not offered there yet (offering twice changes nothing).
    @discardableResult
    package func offer(_ service: Service, at site: Site) throws -> Bool {
        guard try !isOffered(serviceID: service.id, siteID: site.id) else { return false }
        try db.execute("INSERT INTO service_offer (id, service_id, site_id) VALUES (?, ?, ?)",
                       [ServiceOffer.id(serviceID: service.id, siteID: site.id), service.id, site.id])
        return true
    }

    /// True when the service is offered at the site.
    public func isOffered(serviceID: String, siteID: String) throws -> Bool {
        try db.first("SELECT 1 FROM service_offer WHERE service_id = ? AND site_id = ?", [serviceID, siteID]) != nil
    }

    /// The codes of the sites offering a service, in order.
    public func sites(offering serviceID: String) throws -> [String] {
        try db.query("SELECT s.code FROM service_offer o JOIN site s ON s.id = o.site_id WHERE o.service_id = ? ORDER BY s.code",
                     [serviceID]).map { $0.string(0) }
    }

    /// Refuses a booking of a service a site does not offer (`not-offered`).
    public func requireOffered(_ service: Service, at site: Site) throws {
        guard try isOffered(serviceID: service.id, siteID: site.id) else {
            throw ClinicError(.notOffered, "service '\(service.slug)' is not offered at \(site.code); an admin can offer it there with 'service offer'")
        }
    }

    static let columns = "id, slug, name, duration_min, discipline, requires"

    static func service(_ row: Row) -> Service {
        Service(id: row.string(0), slug: row.string(1), name: row.string(2), durationMinutes: Int(row.int(3)),
                discipline: Discipline(rawValue: row.string(4)) ?? .physiotherapy,
                requires: row.optionalString(5).flatMap(Scope.init(rawValue:)))
    }

    public func find(_ slug: String) throws -> Service? {
        try db.first("SELECT \(Self.columns) FROM service WHERE slug = ?", [slug]).map(Self.service)
    }

    public func require(_ slug: String) throws -> Service {
        guard let service = try find(slug) else {
            let hint = Suggestion.phrase(for: slug, among: try all().map(\.slug))
            throw ClinicError(.notFound, "service '\(slug)' not found\(hint)")
        }
        return service
    }

    public func byID(_ id: String) throws -> Service? {
        try db.first("SELECT \(Self.columns) FROM service WHERE id = ?", [id]).map(Self.service)
    }

    public func all() throws -> [Service] {
        try db.query("SELECT \(Self.columns) FROM service ORDER BY slug").map(Self.service)
    }
}
