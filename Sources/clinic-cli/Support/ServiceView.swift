import ArgumentParser
import Models
import Storage

/// A service as JSON shows it.
struct ServiceView: Encodable {
    let slug: String, name: String, duration_minutes: Int, discipline: String, requires: String?

    init(_ service: Service) {
        slug = service.slug
        name = service.name
        duration_minutes = service.durationMinutes
        discipline = service.discipline.rawValue
        requires = service.requires?.rawValue
    }
}
