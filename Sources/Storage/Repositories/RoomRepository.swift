import Models

/// Treatment rooms and beds; each belongs to one site, where its name is unique.
public struct RoomRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a room at a site (this database's own by default); names are unique per site (`duplicate`).
    @discardableResult
    package func add(name: String, kind: RoomKind, site chosen: Site? = nil, now: Int64) throws -> Room {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60 else {
            throw ClinicError(.invalidName, "room name must be 1–60 characters")
        }
        try PlainText.require(trimmed, field: .roomName)
        let site = try chosen ?? SiteRepository(db).local()
        if try find(trimmed, siteID: site.id) != nil {
            throw ClinicError(.duplicate, "a room named '\(trimmed)' already exists at \(site.code)")
        }
        let room = Room(id: UUIDv7.string(at: Instant.date(now)), name: trimmed, kind: kind, siteID: site.id)
        try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) VALUES (?, ?, ?, ?, ?)",
                       [room.id, site.id, room.name, room.kind.rawValue, now])
        return room
    }

    static func room(_ row: Row) -> Room {
        Room(id: row.string(0), name: row.string(1), kind: RoomKind(rawValue: row.string(2)) ?? .bed, siteID: row.string(3))
    }

    static let columns = "id, name, kind, site_id"

    /// A room of a site (this database's own by default) by name, ignoring case.
    public func find(_ name: String, siteID: String? = nil) throws -> Room? {
        let site = try siteID ?? SiteRepository(db).local().id
        return try db.first("SELECT \(Self.columns) FROM room WHERE site_id = ? AND lower(name) = lower(?)", [site, name]).map(Self.room)
    }

    /// A room of a site (this database's own by default) by name, or `not-found`.
    public func require(_ name: String, siteID: String? = nil) throws -> Room {
        guard let room = try find(name, siteID: siteID) else {
            let names = try at(siteID: try siteID ?? SiteRepository(db).local().id).map(\.name)
            throw ClinicError(.notFound, "room '\(name)' not found\(Suggestion.phrase(for: name, among: names))")
        }
        return room
    }

    /// A room by id, at whichever site.
    public func byID(_ id: String) throws -> Room? {
        try db.first("SELECT \(Self.columns) FROM room WHERE id = ?", [id]).map(Self.room)
    }

    /// One site's rooms in the order they were added (the order "first free room" uses).
    public func at(siteID: String) throws -> [Room] {
        try db.query("SELECT \(Self.columns) FROM room WHERE site_id = ? ORDER BY created_at, name", [siteID]).map(Self.room)
    }

    /// Every site's rooms, site by site in the order they were added.
    public func all() throws -> [Room] {
        try db.query("SELECT \(Self.columns) FROM room ORDER BY site_id, created_at, name").map(Self.room)
    }
}
