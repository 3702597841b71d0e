import Models

/// Treatment rooms and beds of the local site.
public struct RoomRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Adds a room; names are unique per site (`duplicate`).
    @discardableResult
    package func add(name: String, kind: RoomKind, now: Int64) throws -> Room {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60 else {
            throw ClinicError(.invalidName, "room name must be 1–60 characters")
        }
        try PlainText.require(trimmed, field: .roomName)
        let site = try SiteRepository(db).local()
        if try find(trimmed) != nil {
            throw ClinicError(.duplicate, "a room named '\(trimmed)' already exists")
        }
        let room = Room(id: UUIDv7.string(at: Instant.date(now)), name: trimmed, kind: kind, siteID: site.id)
        try db.execute("INSERT INTO room (id, site_id, name, kind, created_at) VALUES (?, ?, ?, ?, ?)",
                       [room.id, site.id, room.name, room.kind.rawValue, now])
        return room
    }

    static func room(_ row: Row) -> Room {
        Room(id: row.string(0), name: row.string(1), kind: RoomKind(rawValue: row.string(2)) ?? .bed, siteID: row.string(3))
    }

    /// A room by name, ignoring case.
    public func find(_ name: String) throws -> Room? {
        try db.first("SELECT id, name, kind, site_id FROM room WHERE name = ? COLLATE NOCASE", [name]).map(Self.room)
    }

    public func require(_ name: String) throws -> Room {
        guard let room = try find(name) else { throw ClinicError.notFound("room '\(name)'") }
        return room
    }

    /// A room of one site by name, ignoring case (another site may have a room of the same name).
    public func require(_ name: String, atSite siteID: String) throws -> Room {
        guard let room = try db.first("SELECT id, name, kind, site_id FROM room WHERE name = ? COLLATE NOCASE AND site_id = ? ORDER BY id LIMIT 1",
                                      [name, siteID]).map(Self.room) else {
            throw ClinicError.notFound("room '\(name)'")
        }
        return room
    }

    /// All rooms in the order they were added (the order "first free room" uses).
    public func all() throws -> [Room] {
        try db.query("SELECT id, name, kind, site_id FROM room ORDER BY created_at, name").map(Self.room)
    }
}
