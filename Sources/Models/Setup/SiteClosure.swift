/// A day a site is closed (a holiday): nothing is booked there that day, in the site's zone.
public struct SiteClosure: Sendable, Equatable {
    public var siteID: String
    public var siteCode: String
    public var date: CivilDate
    public var reason: String?

    public init(siteID: String, siteCode: String, date: CivilDate, reason: String?) {
        self.siteID = siteID
        self.siteCode = siteCode
        self.date = date
        self.reason = reason
    }

    /// The id of a site's closure on a day, derived from the pair (UUID-shaped, version 8), so two
    /// sites closing one site on one day make the same row, and reopening and closing again reuse it.
    public static func id(siteID: String, date: CivilDate) -> String {
        var digits = Array(SHA256Hex.of("site-closure\n\(siteID)\n\(date.description)").prefix(32))
        digits[12] = "8"  // version 8: made by the application
        digits[16] = "8"  // variant 10xx
        let text = String(digits)
        return [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4),
                text.dropFirst(20)].joined(separator: "-")
    }

    /// Refuses a booking on a closed day (`closed`), naming the day and the reason given for it.
    public static func requireOpen(_ closure: SiteClosure?) throws {
        guard let closure else { return }
        let why = closure.reason.map { " (\($0))" } ?? ""
        throw ClinicError(.closed, ErrorMessage(verbatim: "site \(closure.siteCode) is closed on \(closure.date.description)\(why)"))
    }
}
