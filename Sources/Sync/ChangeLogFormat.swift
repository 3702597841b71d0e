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

    public var json: JSONValue {
        .object([
            "format": .string(SyncFormat.name), "format_version": .integer(Int64(formatVersion)),
            "schema_version": .integer(Int64(schemaVersion)), "site": .string(site), "site_id": .string(siteID),
            "key_id": keyID.map(JSONValue.string) ?? .null, "recipient": recipient.map(JSONValue.string) ?? .null,
            "vector": .object(vector.mapValues { JSONValue.integer($0) }), "created_at": .integer(createdAt),
        ])
    }

    /// Parses and checks a header line; newer formats or schemas are refused as `bad-file`.
    static func parse(_ bytes: ArraySlice<UInt8>, localSchema: Int) throws -> ChangeLogHeader {
        guard let value = try? JSONParser.parse(Array(bytes)), let members = value.objectValue else {
            throw SyncError.badFile("the header is not a JSON object", line: 1)
        }
        guard members["format"]?.stringValue == SyncFormat.name else { throw SyncError.badFile("not a clinic change log", line: 1) }
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
        return ChangeLogHeader(formatVersion: Int(format), schemaVersion: Int(schema), site: site, siteID: siteID,
                               keyID: members["key_id"]?.stringValue, recipient: recipient, vector: vector, createdAt: created)
    }
}

/// The last line: count and body hash (and, once keys exist, the signature).
public struct ChangeLogTrailer: Sendable, Equatable {
    public var count: Int
    public var bodySHA256: String
    public var signature: String?

    public var json: JSONValue {
        .object(["trailer": .object([
            "count": .integer(Int64(count)), "body_sha256": .string(bodySHA256), "signature": signature.map(JSONValue.string) ?? .null,
        ])])
    }

    /// A trailer line, or nil when the line is not one.
    static func parse(_ value: JSONValue) throws -> ChangeLogTrailer? {
        guard let body = value["trailer"] else { return nil }
        guard let count = body["count"]?.integerValue, count >= 0, let hash = body["body_sha256"]?.stringValue, hash.count == 64 else {
            throw SyncError.badFile("invalid trailer")
        }
        return ChangeLogTrailer(count: Int(count), bodySHA256: hash, signature: body["signature"]?.stringValue)
    }
}

/// A change as read from a file: checked for shape and for its id.
enum ChangeLine {
    /// The change and the id the file claims for it; `ChangeBatch` checks the id of every change it has not seen.
    static func parse(_ value: JSONValue, line: Int) throws -> (change: Change, claimedID: String) {
        guard let members = value.objectValue, members.count == 8,
              let id = members["id"]?.stringValue, let origin = members["origin"]?.stringValue, SiteCode.isValid(origin),
              let hlc = members["hlc"]?.integerValue, hlc > 0, let table = members["table"]?.stringValue,
              let row = members["row"]?.stringValue, !row.isEmpty, row.count <= 64,
              let group = members["group"]?.stringValue, let values = members["values"]?.objectValue else {
            throw SyncError.badFile("a change has the wrong shape", line: line)
        }
        guard let synced = SyncSchema.table(table) else { throw SyncError.badFile("unknown table", line: line) }
        if group == "_deleted" {
            guard values.isEmpty, synced.merge == .lastWriterWins else { throw SyncError.badFile("invalid deletion", line: line) }
        } else {
            guard let columns = synced.group(named: group), Set(values.keys) == Set(columns) else {
                throw SyncError.badFile("a change's columns do not match its group", line: line)
            }
            for value in values.values {
                switch value {
                case .null, .integer, .decimal, .string: break
                default: throw SyncError.badFile("a change holds a nested value", line: line)
                }
            }
        }
        let previous: String?
        switch members["prev"] {
        case .string(let p)?: previous = p
        case .null?: previous = nil
        default: throw SyncError.badFile("a change has the wrong shape", line: line)
        }
        guard id.count == 64 else { throw SyncError.badFile("a change has an invalid id", line: line) }
        return (Change(origin: origin, hlc: HLC(rawValue: hlc), table: table, rowID: row, group: group, values: values, previous: previous), id)
    }
}
