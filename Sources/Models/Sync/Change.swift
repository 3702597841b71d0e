/// One captured write: the unit of sync. Its id is the SHA-256 of its canonical JSON, so the same
/// change has the same id at every site and a second copy is recognised at once.
public struct Change: Sendable, Equatable {
    public var origin: String
    public var hlc: HLC
    public var table: String
    public var rowID: String
    public var group: String
    public var values: [String: JSONValue]
    /// The id of the change this one overwrote at its origin (nil for a row's first write).
    public var previous: String?

    public init(origin: String, hlc: HLC, table: String, rowID: String, group: String, values: [String: JSONValue], previous: String?) {
        self.origin = origin
        self.hlc = hlc
        self.table = table
        self.rowID = rowID
        self.group = group
        self.values = values
        self.previous = previous
    }

    /// The canonical JSON of everything but the id.
    public var canonicalBody: JSONValue {
        .object([
            "origin": .string(origin), "hlc": .integer(hlc.rawValue), "table": .string(table), "row": .string(rowID),
            "group": .string(group), "values": .object(values), "prev": previous.map(JSONValue.string) ?? .null,
        ])
    }

    /// SHA-256 of the canonical body, hex.
    public var id: String { SHA256Hex.of(canonicalBody.canonical) }

    /// The canonical body built around values that are already canonical JSON text — the same bytes
    /// as `canonicalBody.canonical`, without building the values again (keys in sorted order).
    public static func canonicalBodyText(origin: String, hlc: HLC, table: String, rowID: String, group: String,
                                         canonicalValues: String, previous: String?) -> String {
        String(decoding: canonicalBodyBytes(origin: origin, hlc: hlc, table: table, rowID: rowID, group: group,
                                            canonicalValues: canonicalValues, previous: previous), as: UTF8.self)
    }

    /// The id of the change whose body `canonicalBodyText` spells, hashed from the bytes as they are
    /// built (every local write seals its changes through this, so no intermediate string is made).
    public static func id(origin: String, hlc: HLC, table: String, rowID: String, group: String,
                          canonicalValues: String, previous: String?) -> String {
        let body = canonicalBodyBytes(origin: origin, hlc: hlc, table: table, rowID: rowID, group: group,
                                      canonicalValues: canonicalValues, previous: previous)
        return body.withUnsafeBytes { SHA256Hex.of(bytes: $0) }
    }

    /// The UTF-8 of the canonical body, keys in sorted order; the one definition of its layout.
    static func canonicalBodyBytes(origin: String, hlc: HLC, table: String, rowID: String, group: String,
                                   canonicalValues: String, previous: String?) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(80 + group.utf8.count + origin.utf8.count + (previous?.utf8.count ?? 4) + rowID.utf8.count
                             + table.utf8.count + canonicalValues.utf8.count)
        body.append(contentsOf: #"{"group":"#.utf8)
        JSONValue.writeString(group, to: &body)
        body.append(contentsOf: #","hlc":"#.utf8)
        body.append(contentsOf: String(hlc.rawValue).utf8)
        body.append(contentsOf: #","origin":"#.utf8)
        JSONValue.writeString(origin, to: &body)
        body.append(contentsOf: #","prev":"#.utf8)
        if let previous { JSONValue.writeString(previous, to: &body) } else { body.append(contentsOf: "null".utf8) }
        body.append(contentsOf: #","row":"#.utf8)
        JSONValue.writeString(rowID, to: &body)
        body.append(contentsOf: #","table":"#.utf8)
        JSONValue.writeString(table, to: &body)
        body.append(contentsOf: #","values":"#.utf8)
        body.append(contentsOf: canonicalValues.utf8)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// The line written to a change log: the body plus its id.
    public var line: String {
        guard case .object(var members) = canonicalBody else { return "" }
        members["id"] = .string(id)
        return JSONValue.object(members).canonical
    }

    /// Where the change stands in last-writer-wins order (`FieldGroupWinner`).
    public var stamp: ChangeStamp { ChangeStamp(hlc: hlc, origin: origin, changeID: id) }
}
