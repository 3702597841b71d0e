import Models

/// Conversions between stored column values and the JSON carried in changes.
public enum SyncValues {
    /// A stored column value as the JSON a change carries.
    public static func json(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let v): return .integer(v)
        case .real(let v): return .decimal(v)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(String(decoding: b, as: UTF8.self))
        }
    }

    /// A change's JSON value as the column value it is stored as.
    public static func sql(_ value: JSONValue) -> SQLValue {
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
