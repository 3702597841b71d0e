import Models

/// Bookable services (`dn-30`, `acu-45`).
public struct ServiceRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a service; slugs are unique (`duplicate`).
    @discardableResult
    package func add(slug: String, name: String, durationMinutes: Int, discipline: Discipline, requires: Scope?, now: Int64) throws -> Service {
        try Service.validate(slug: slug)
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.invalidName, "\(.name) must not be empty")
        }
        try PlainText.require(name, field: .name)
        if try find(slug) != nil {
            throw ClinicError(.duplicate, "service '\(slug)' already exists")
        }
        let service = Service(id: UUIDv7.string(at: Instant.date(now)), slug: slug, name: name,
                              durationMinutes: durationMinutes, discipline: discipline, requires: requires)
        try db.execute("INSERT INTO service (id, slug, name, duration_min, discipline, requires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [service.id, slug, name, durationMinutes, discipline.rawValue, requires?.rawValue, now])
        return service
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
        guard let service = try find(slug) else { throw ClinicError.notFound("service '\(slug)'") }
        return service
    }

    public func byID(_ id: String) throws -> Service? {
        try db.first("SELECT \(Self.columns) FROM service WHERE id = ?", [id]).map(Self.service)
    }

    public func all() throws -> [Service] {
        try db.query("SELECT \(Self.columns) FROM service ORDER BY slug").map(Self.service)
    }
}
