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

/// A service offered at a site: the network's catalogue is shared, each site chooses what it books.
public enum ServiceOffer {
    /// The id of the offer of a service at a site, derived from the pair (UUID-shaped, version 8),
    /// so two sites offering one service at one site make the same row and their logs agree.
    public static func id(serviceID: String, siteID: String) -> String {
        var digits = Array(SHA256Hex.of("service-offer\n\(serviceID)\n\(siteID)").prefix(32))
        digits[12] = "8"  // version 8: made by the application
        digits[16] = "8"  // variant 10xx
        let text = String(digits)
        return [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4),
                text.dropFirst(20)].joined(separator: "-")
    }
}
