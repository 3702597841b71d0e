import Models
import Storage

/// A SHA-256 over the canonical content of every synced table: equal at two sites exactly when
/// their synced data is equal. Local bookkeeping (audit, conflicts, quarantine, peers, clock) is left out.
public enum Digest {
    public static func compute(_ db: Database) throws -> String {
        var stream = SHA256Stream()
        try db.read { db in
            for table in SyncSchema.tables {
                let columns = table.columns
                try db.forEach("SELECT id, \(columns.joined(separator: ", ")) FROM \(table.name) ORDER BY id") { row in
                    var values: [JSONValue] = [.string(table.name), .string(row.string(0))]
                    for index in columns.indices { values.append(SyncValues.json(row.values[index + 1])) }
                    stream.update(JSONValue.array(values).canonical)
                    stream.update("\n")
                }
            }
        }
        return stream.finalizeHex()
    }
}

/// Conversions between stored column values and the JSON carried in changes.
enum SyncValues {
    static func json(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let v): return .integer(v)
        case .real(let v): return .decimal(v)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(String(decoding: b, as: UTF8.self))
        }
    }

    static func sql(_ value: JSONValue) -> SQLValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .integer(b ? 1 : 0)
        case .integer(let v): return .integer(v)
        case .decimal(let v): return .real(v)
        case .string(let s): return .text(s)
        case .array, .object: return .text(value.canonical)
        }
    }
}
