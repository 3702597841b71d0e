/// A clinic site: one database, one code that prefixes chart numbers, one IANA zone.
public struct Site: Sendable, Equatable, Codable {
    public var id: String
    public var code: String
    public var name: String
    public var timeZone: String

    public init(id: String, code: String, name: String, timeZone: String) {
        self.id = id
        self.code = code
        self.name = name
        self.timeZone = timeZone
    }

    /// Checks a new site's fields; the zone must be a real IANA zone.
    public static func validate(code: String, name: String, timeZone: String) throws {
        guard SiteCode.isValid(code) else {
            throw ClinicError(.invalidSiteCode, "site code must be 2–8 upper-case letters or digits, starting with a letter (e.g. MTL)")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ClinicError(.invalidName, "site name must not be empty")
        }
        try PlainText.require(name, field: .siteName)
        _ = try SiteTimeZone(timeZone)
    }
}

/// A treatment room, bed or gym space; a room holds one appointment at a time.
public struct Room: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var kind: RoomKind
    /// The site the room is at (rooms belong to one site; names are unique per site).
    public var siteID: String

    public init(id: String, name: String, kind: RoomKind, siteID: String = "") {
        self.id = id
        self.name = name
        self.kind = kind
        self.siteID = siteID
    }
}

public enum RoomKind: String, Sendable, Codable, CaseIterable {
    case bed, gym, office
}

import Foundation
