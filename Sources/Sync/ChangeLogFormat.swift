import Models
import Storage

/// The change-log file: JSON Lines. Line 1 a header, then one change per line, then a trailer with
/// the change count and the SHA-256 of the body (every change line and its newline).
public struct ChangeLogHeader: Sendable, Equatable {
    public var formatVersion: Int
    public var schemaVersion: Int
    public var site: String
    public var siteID: String
    public var keyID: String?
    public var recipient: String?
    /// Per origin, the newest HLC of the sender's content: what the sender has (its acknowledgement).
    public var vector: [String: Int64]
    public var createdAt: Int64
    /// Base64 HPKE encapsulated key when the body is sealed for the recipient; nil for plaintext.
    public var encapsulatedKey: String?
    /// The sender's audit head; nil in logs written before headers carried it.
    public var audit: AuditClaim? = nil

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "format": .string(SyncFormat.name), "format_version": .integer(Int64(formatVersion)),
            "schema_version": .integer(Int64(schemaVersion)), "site": .string(site), "site_id": .string(siteID),
            "key_id": keyID.map(JSONValue.string) ?? .null, "recipient": recipient.map(JSONValue.string) ?? .null,
            "vector": .object(vector.mapValues { JSONValue.integer($0) }), "created_at": .integer(createdAt),
        ]
        members["encryption"] = encapsulatedKey.map {
            .object(["suite": .string(ChangeLogSealing.suiteName), "enc": .string($0)])
        } ?? .null
        if let audit { members["audit"] = audit.json }
        return .object(members)
    }

    static let known: Set<String> = ["format", "format_version", "schema_version", "site", "site_id", "key_id", "recipient", "vector",
                                     "created_at", "encryption", "audit"]

    /// Parses and checks a header line; newer formats or schemas are refused as `bad-file`, and so is
    /// a header that is not exactly the canonical JSON clinic writes (a space, another key order, an escape).
    static func parse(_ bytes: ArraySlice<UInt8>, localSchema: Int) throws -> ChangeLogHeader {
        guard let value = try? JSONParser.parse(Array(bytes)), let members = value.objectValue else {
            throw SyncError.badFile("the header is not a JSON object", line: 1)
        }
        guard members["format"]?.stringValue == SyncFormat.name else { throw SyncError.badFile("not a clinic change log", line: 1) }
        guard Set(members.keys).isSubset(of: known) else { throw SyncError.badFile("the header has an unknown field", line: 1) }
        guard let format = members["format_version"]?.integerValue, let schema = members["schema_version"]?.integerValue,
              let site = members["site"]?.stringValue, SiteCode.isValid(site), let siteID = members["site_id"]?.stringValue,
              let vectorObject = members["vector"]?.objectValue, let created = members["created_at"]?.integerValue else {
            throw SyncError.badFile("the header lacks a required field", line: 1)
        }
        guard format >= 1, format <= Int64(SyncFormat.version) else { throw SyncError.badFile("format version \(format) is newer than this clinic reads", line: 1) }
        guard schema >= 1, schema <= Int64(localSchema) else { throw SyncError.badFile("schema version \(schema) is newer than this database", line: 1) }
        var vector: [String: Int64] = [:]
        for (origin, stamp) in vectorObject {
            guard SiteCode.isValid(origin), let hlc = stamp.integerValue, hlc >= 0 else { throw SyncError.badFile("invalid version vector", line: 1) }
            vector[origin] = hlc
        }
        let recipient: String?
        switch members["recipient"] {
        case .string(let code)?: recipient = code
        case .null?, nil: recipient = nil
        default: throw SyncError.badFile("invalid recipient", line: 1)
        }
        var encapsulated: String?
        switch members["encryption"] {
        case .object(let encryption)?:
            guard encryption["suite"]?.stringValue == ChangeLogSealing.suiteName, let enc = encryption["enc"]?.stringValue, recipient != nil else {
                throw SyncError.badFile("unknown encryption", line: 1)
            }
            encapsulated = enc
        case .null?, nil: encapsulated = nil
        default: throw SyncError.badFile("invalid encryption field", line: 1)
        }
        var audit: AuditClaim?
        if let claim = members["audit"] {
            guard let parsed = AuditClaim.parse(claim) else { throw SyncError.badFile("invalid audit head", line: 1) }
            audit = parsed
        }
        let header = ChangeLogHeader(formatVersion: Int(format), schemaVersion: Int(schema), site: site, siteID: siteID,
                                     keyID: members["key_id"]?.stringValue, recipient: recipient, vector: vector, createdAt: created,
                                     encapsulatedKey: encapsulated, audit: audit)
        guard header.json.canonical.utf8.elementsEqual(bytes) else { throw SyncError.badFile("the header is not written as clinic writes it", line: 1) }
        return header
    }
}

/// The last line: count and body hash (and, once keys exist, the signature).
public struct ChangeLogTrailer: Sendable, Equatable {
    public var count: Int
    public var bodySHA256: String
    public var chunks: Int
    public var signature: String?

    public var json: JSONValue {
        .object(["trailer": .object([
            "count": .integer(Int64(count)), "body_sha256": .string(bodySHA256), "chunks": .integer(Int64(chunks)),
            "signature": signature.map(JSONValue.string) ?? .null,
        ])])
    }

    /// What the sender signs: the exact bytes of the header line (by their hash) and the body it
    /// vouches for, so no byte of the header can change without the signature failing.
    static func signedMessage(headerLine: [UInt8], count: Int, bodySHA256: String, chunks: Int) -> String {
        var hash = SHA256Stream()
        hash.update(bytes: headerLine)
        return JSONValue.object([
            "header_sha256": .string(hash.finalizeHex()), "count": .integer(Int64(count)), "body_sha256": .string(bodySHA256),
            "chunks": .integer(Int64(chunks)),
        ]).canonical
    }

    /// The trailer a line holds: exactly the canonical JSON clinic writes, else `bad-file`.
    static func parse(line: ArraySlice<UInt8>) throws -> ChangeLogTrailer {
        guard let value = try? JSONParser.parse(Array(line)), let trailer = try parse(value),
              trailer.json.canonical.utf8.elementsEqual(line) else { throw SyncError.badFile("the trailer is not written as clinic writes it") }
        return trailer
    }

    /// A trailer line, or nil when the line is not one.
    static func parse(_ value: JSONValue) throws -> ChangeLogTrailer? {
        guard let body = value["trailer"] else { return nil }
        guard let count = body["count"]?.integerValue, count >= 0, let hash = body["body_sha256"]?.stringValue, hash.count == 64,
              let chunks = body["chunks"]?.integerValue, chunks >= 0, chunks < 1 << 32 else {
            throw SyncError.badFile("invalid trailer")
        }
        return ChangeLogTrailer(count: Int(count), bodySHA256: hash, chunks: Int(chunks), signature: body["signature"]?.stringValue)
    }
}

/// A change as read from a file: checked for shape and for its id.
enum ChangeLine {
    /// True when the line, without its `,"id":"…"` member, hashes to the claimed id: the line is the
    /// canonical form of its change and unedited, checked without serialising the change again.
    static func idMatches(_ line: ArraySlice<UInt8>, claimedID: String) -> Bool {
        let marker = Array(",\"id\":\"".utf8) + Array(claimedID.utf8) + [0x22]
        var start: Int?
        var index = line.startIndex
        let limit = line.endIndex - marker.count
        while index <= limit {
            if line[index] == marker[0], line[index..<index + marker.count].elementsEqual(marker) {
                start = index
                break
            }
            index += 1
        }
        guard let start else { return false }
        var stream = SHA256Stream()
        stream.update(bytes: Array(line[line.startIndex..<start]))
        stream.update(bytes: Array(line[(start + marker.count)...]))
        return stream.finalizeHex() == claimedID
    }

    /// True when `line` is exactly the canonical JSON of the change with the id it claims: the layout
    /// clinic writes, without a space, key order or escape of its own.
    static func isCanonical(_ line: ArraySlice<UInt8>, _ change: Change, claimedID: String) -> Bool {
        guard case .object(var members) = change.canonicalBody else { return false }
        members["id"] = .string(claimedID)
        return JSONValue.object(members).canonical.utf8.elementsEqual(line)
    }

    /// The change and the id the file claims for it; `ChangeBatch` checks the id of every change it has not seen.
    static func parse(_ value: JSONValue, line: Int) throws -> (change: Change, claimedID: String) {
        guard let members = value.objectValue, members.count == 8,
              let id = members["id"]?.stringValue, let origin = members["origin"]?.stringValue,
              let hlc = members["hlc"]?.integerValue, let table = members["table"]?.stringValue,
              let row = members["row"]?.stringValue, fieldsValid(origin: origin, hlc: hlc, row: row),
              let group = members["group"]?.stringValue, let values = members["values"]?.objectValue else {
            throw SyncError.badFile("a change has the wrong shape", line: line)
        }
        try checkGroup(table: table, group: group, values: values, line: line)
        let previous: String?
        switch members["prev"] {
        case .string(let p)?: previous = p
        case .null?: previous = nil
        default: throw SyncError.badFile("a change has the wrong shape", line: line)
        }
        guard id.count == 64 else { throw SyncError.badFile("a change has an invalid id", line: line) }
        return (Change(origin: origin, hlc: HLC(rawValue: hlc), table: table, rowID: row, group: group, values: values, previous: previous), id)
    }

    /// A checked change's values in its group's column order (empty for a deletion), as `checkGroup` gives them.
    static func ordered(_ change: Change) -> [JSONValue] {
        (try? checkGroup(table: change.table, group: change.group, values: change.values, line: 0)) ?? []
    }

    /// A valid site code, a stamp after the epoch, a row id of 1 to 64 characters.
    static func fieldsValid(origin: String, hlc: Int64, row: String) -> Bool {
        // A character is at least one byte, so the byte count settles the usual case without counting characters.
        SiteCode.isValid(origin) && hlc > 0 && !row.isEmpty && (row.utf8.count <= 64 || row.count <= 64)
    }

    /// The table is synced and the values are exactly its group's columns, each a plain value.
    /// Returns the values in the group's column order (empty for a deletion), so the writer can
    /// bind them by position.
    @discardableResult
    static func checkGroup(table: String, group: String, values: [String: JSONValue], line: Int) throws -> [JSONValue] {
        guard let synced = SyncSchema.table(table) else { throw SyncError.badFile("unknown table", line: line) }
        if group == "_deleted" {
            guard values.isEmpty, synced.merge == .lastWriterWins else { throw SyncError.badFile("invalid deletion", line: line) }
            return []
        }
        guard let columns = synced.group(named: group), values.count == columns.count else {
            throw SyncError.badFile("a change's columns do not match its group", line: line)
        }
        var ordered: [JSONValue] = []
        ordered.reserveCapacity(columns.count)
        var nested = false
        for column in columns {
            guard let value = values[column] else { throw SyncError.badFile("a change's columns do not match its group", line: line) }
            switch value {
            case .null, .integer, .decimal, .string: break
            default: nested = true
            }
            ordered.append(value)
        }
        if nested { throw SyncError.badFile("a change holds a nested value", line: line) }
        return ordered
    }
}
