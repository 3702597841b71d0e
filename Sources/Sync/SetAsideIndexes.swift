import Storage

/// Secondary indexes dropped for the rest of an import that brings more rows than their tables hold
/// (decided once it has inserted `Importer.setAsideMinimum` rows), and built again once, by sorting,
/// when it ends: updating the five indexes of a booking row by row, at twenty places at once, is most
/// of what SQLite does for it.
///
/// It happens inside the import's transaction, so a failed or killed import leaves them as they
/// were. While they are set aside, the statements of an import that read them wait for them: the
/// conflict checks (`ChangeBatch`), and a deletion, whose foreign-key check reads the indexes of the
/// rows that may point at the row deleted (it brings them back first).
struct SetAsideIndexes {
    /// The indexes that may be set aside, by table: ones an import reads only for the reasons above.
    static let candidates: [(table: String, indexes: [String])] = [
        ("appointment", ["appointment_staff_start", "appointment_room_start", "appointment_patient_start", "appointment_start", "appointment_series"]),
        ("patient", ["patient_chart", "patient_site_seq"]),
    ]

    /// A table's largest rowid when its indexes were set aside: the rows above it are the import's.
    struct Mark {
        let table: String
        let lastRowBefore: Int64
    }

    /// The `CREATE INDEX` statements to run again; empty when nothing is set aside.
    private var definitions: [String] = []
    /// Where each table of `ConflictDetector.checkedTables` stood when the indexes were set aside.
    private(set) var marks: [Mark] = []

    var isActive: Bool { !definitions.isEmpty }

    /// The tables whose indexes `setAside` would drop for the `incoming` changes still to come: when they
    /// are at least `minimum` and at least twice the rows the table holds (so rebuilding costs less than
    /// what it saves).
    static func tables(_ db: Database, incoming: Int, minimum: Int) throws -> [String] {
        let store = ImportTuningStore(db)
        guard incoming >= minimum, store.canSetIndexesAside else { return [] }
        return try candidates.map(\.table).filter { try Int64(incoming) >= 2 * store.lastRowID($0) }
    }

    /// Drops the indexes of `tables`; `checked`: the tables whose new rows the conflict checks look
    /// at, marked so they can be found later.
    static func setAside(_ db: Database, tables: [String], checked: [String]) throws -> SetAsideIndexes {
        let store = ImportTuningStore(db)
        var set = SetAsideIndexes()
        for (table, names) in candidates where tables.contains(table) {
            for name in names {
                guard let sql = try store.definition(ofIndex: name) else { continue }
                set.definitions.append(sql)
                try store.dropIndex(name)
            }
        }
        if set.isActive { set.marks = try checked.map { Mark(table: $0, lastRowBefore: try store.lastRowID($0)) } }
        return set
    }

    /// Builds the indexes again; the marks stay for the conflict checks that waited. The page cache
    /// is made small meanwhile: its dirty pages go to the WAL (as they would at commit) and the memory
    /// they held serves the sorts, which `temp_store = MEMORY` keeps in memory.
    mutating func restore(_ db: Database) throws {
        guard isActive else { return }
        let store = ImportTuningStore(db)
        let cache = try store.cacheSize()
        try store.setCacheSize(-Int64(Self.sortingCacheKiB))
        for definition in definitions { try store.createIndex(definition) }
        try store.setCacheSize(cache)
        definitions = []
    }

    static let sortingCacheKiB = 16_384
}
