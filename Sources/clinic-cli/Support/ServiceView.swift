import ArgumentParser
import Models
import Storage

/// A service as JSON shows it.
struct ServiceView: Encodable {
    let slug: String, name: String, duration_minutes: Int, discipline: String, requires: String?
    /// Codes of the sites that offer it (absent where the command does not say).
    let sites: [String]?

    init(_ service: Service, sites: [String]? = nil) {
        self.sites = sites
        slug = service.slug
        name = service.name
        duration_minutes = service.durationMinutes
        discipline = service.discipline.rawValue
        requires = service.requires?.rawValue
    }
}

/// A room as JSON shows it, with the code of its site.
struct RoomView: Encodable {
    let id: String, name: String, kind: String, site: String

    init(_ room: Room, site: Site) {
        id = room.id
        name = room.name
        kind = room.kind.rawValue
        self.site = site.code
    }
}
