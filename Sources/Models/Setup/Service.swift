/// Something a patient books: a slug (`dn-30`), a duration and the discipline that delivers it.
public struct Service: Sendable, Equatable, Codable {
    public var id: String
    public var slug: String
    public var name: String
    public var durationMinutes: Int
    public var discipline: Discipline
    /// A regulated scope the practitioner must hold on the day (dry needling, acupuncture…).
    public var requires: Scope?

    public init(id: String, slug: String, name: String, durationMinutes: Int, discipline: Discipline, requires: Scope?) {
        self.id = id
        self.slug = slug
        self.name = name
        self.durationMinutes = durationMinutes
        self.discipline = discipline
        self.requires = requires
    }

    /// Slugs are short lower-case tags: letters, digits and dashes.
    public static func validate(slug: String) throws {
        guard (2...32).contains(slug.count),
              slug.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw ClinicError(.invalidSlug, "service slug must be 2–32 lower-case letters, digits or '-' (e.g. dn-30)")
        }
    }
}
