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
        var text = "{\"group\":"
        JSONValue.writeString(group, to: &text)
        text += ",\"hlc\":\(hlc.rawValue),\"origin\":"
        JSONValue.writeString(origin, to: &text)
        text += ",\"prev\":"
        if let previous { JSONValue.writeString(previous, to: &text) } else { text += "null" }
        text += ",\"row\":"
        JSONValue.writeString(rowID, to: &text)
        text += ",\"table\":"
        JSONValue.writeString(table, to: &text)
        return text + ",\"values\":" + canonicalValues + "}"
    }

    /// The line written to a change log: the body plus its id.
    public var line: String {
        guard case .object(var members) = canonicalBody else { return "" }
        members["id"] = .string(id)
        return JSONValue.object(members).canonical
    }

    /// Last-writer-wins order: the larger (HLC, origin) wins.
    public static func wins(_ a: (HLC, String), over b: (HLC, String)) -> Bool {
        a.0 != b.0 ? a.0 > b.0 : a.1 > b.1
    }
}
