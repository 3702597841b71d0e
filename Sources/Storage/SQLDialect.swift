/// The inline SQL fragments that differ between engines (design note §3, tier 2): `db.dialect`.
/// Only SQLite's today; PostgreSQL's forms are in the comments, for the backend that adds them.
public struct SQLDialect: Sendable {
    /// The text value of `key` in the JSON text column `column` (PG: `(column::jsonb->>'key')`).
    public let jsonField: @Sendable (_ column: String, _ key: String) -> String
    /// A table expression of the ids in one JSON-array parameter, one column `value`
    /// (PG: `unnest(?::bigint[]) AS value`).
    public let idList: @Sendable (_ parameter: String) -> String
    /// Appended to a lookup that a write then changes (PG: `" FOR UPDATE"`; SQLite's `BEGIN IMMEDIATE` already serialises).
    public let forUpdate: String
    /// A case-insensitive LIKE, ASCII-only on SQLite (PG: `ILIKE`).
    public let caseInsensitiveLike: String
    /// The larger of two values (PG: `greatest`).
    public let greatest: String
    /// The column that numbers a table's rows in insertion order: SQLite's implicit `rowid`; on
    /// PostgreSQL the identity column `seq` of the tables code reads it from (appointment, patient,
    /// staff, service).
    public var rowid: String = "rowid"
    /// A table expression of the texts in one JSON-array parameter, one column `value`
    /// (PG: `jsonb_array_elements_text(?::jsonb) AS value`).
    public var textList: @Sendable (_ parameter: String) -> String = { parameter in "json_each(\(parameter))" }
    /// A statement that, with one text parameter, holds a lock on that key until the write ends, for a
    /// check-then-insert on rows that do not exist yet; nil where the write already holds the database
    /// (SQLite's `BEGIN IMMEDIATE`). PG: a transaction advisory lock in a key space of its own (two
    /// 32-bit keys), which needs no privilege on any table.
    public var keyLock: String? = nil

    /// SQLite's forms.
    public static let sqlite = SQLDialect(
        jsonField: { column, key in "json_extract(\(column), '$.\(key)')" },
        idList: { parameter in "json_each(\(parameter))" },
        forUpdate: "",
        caseInsensitiveLike: "LIKE",
        greatest: "max")
}
