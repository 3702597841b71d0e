/// Which tables sync, and how their columns group into units of last-writer-wins.
///
/// A field group's columns always travel and win together: an appointment's (start, end,
/// practitioner, room) move as one, its status as another, each SOAP section of a note alone.
public struct SyncedTable: Sendable {
    public enum Merge: Sendable {
        /// Groups are last-writer-wins by (HLC, origin).
        case lastWriterWins
        /// Rows are only ever inserted; sites merge them as a union.
        case insertOnly
    }

    /// What a note's signature means for a table's rows.
    public enum Signing: Sendable, Equatable {
        /// Nothing: the rows merge by their groups alone.
        case unaffected
        /// The signed-note table: the first signature freezes the content groups to its snapshot.
        case signedNote
        /// Rows a note's signature covers by id, listed in its snapshot under `snapshotField`.
        case coveredBySignature(snapshotField: String)
    }

    public let name: String
    public let merge: Merge
    public let signing: Signing
    /// Start and end columns of a table whose longest row bounds the overlap searches (`schedule_bound`).
    public let span: (start: String, end: String)?
    /// Columns kept only at this site (not synced) that an insert sets to the time the row arrived.
    public let localColumns: [String]
    /// Group name → columns, in a fixed order.
    public let groups: [(name: String, columns: [String])]
    /// Columns that reference another synced table's row: (column, table).
    public let references: [(column: String, table: String)]
    /// A group that changes from an older release do not carry, whose one column then holds the id
    /// of the site that made the row's first group's winning change (working hours gained their site
    /// in schema 15: hours a site set before that are its own).
    public let siteFromOrigin: (group: String, column: String)?

    /// Every synced column, group by group (stored: the merge reads it for every row).
    public let columns: [String]

    public init(name: String, merge: Merge, groups: [(name: String, columns: [String])], references: [(column: String, table: String)],
                signing: Signing = .unaffected, span: (start: String, end: String)? = nil, localColumns: [String] = [],
                siteFromOrigin: (group: String, column: String)? = nil) {
        self.name = name
        self.siteFromOrigin = siteFromOrigin
        self.merge = merge
        self.signing = signing
        self.span = span
        self.localColumns = localColumns
        self.groups = groups
        self.references = references
        columns = groups.flatMap(\.columns)
    }

    public func group(named name: String) -> [String]? { groups.first { $0.name == name }?.columns }

    /// The snapshot field listing this table's rows, for a table a note's signature covers by id.
    public var coveringSnapshotField: String? {
        if case .coveredBySignature(let field) = signing { return field }
        return nil
    }
}

/// The synced tables in dependency order: a row's references come before it.
public enum SyncSchema {
    public static let tables: [SyncedTable] = [
        SyncedTable(name: "site", merge: .lastWriterWins,
                    groups: [("details", ["code", "name", "timezone", "created_at"])], references: []),
        SyncedTable(name: "staff", merge: .lastWriterWins,
                    groups: [("details", ["handle", "name", "discipline", "role", "created_at"]), ("access", ["roles", "active"])],
                    references: []),
        SyncedTable(name: "staff_key", merge: .lastWriterWins,
                    groups: [("details", ["staff_id", "site_code", "key_id", "public_key", "created_at"]), ("retired", ["retired_at"])],
                    references: [("staff_id", "staff")]),
        SyncedTable(name: "credential", merge: .insertOnly,
                    groups: [("details", ["staff_id", "scope", "regulator", "number", "expires", "created_at"])],
                    references: [("staff_id", "staff")]),
        SyncedTable(name: "room", merge: .lastWriterWins,
                    groups: [("details", ["site_id", "name", "kind", "created_at"])], references: [("site_id", "site")]),
        SyncedTable(name: "service", merge: .lastWriterWins,
                    groups: [("details", ["slug", "name", "duration_min", "discipline", "requires", "created_at"])], references: []),
        // One row per (service, site), its id derived from the pair (`ServiceOffer.id`), so two sites
        // offering the same service at the same site make the same row.
        SyncedTable(name: "service_offer", merge: .lastWriterWins,
                    groups: [("details", ["service_id", "site_id"])], references: [("service_id", "service"), ("site_id", "site")]),
        // One row per (site, day), its id derived from the pair (`SiteClosure.id`); reopening clears `closed`.
        SyncedTable(name: "site_closure", merge: .lastWriterWins,
                    groups: [("details", ["site_id", "date"]), ("state", ["closed", "reason"])], references: [("site_id", "site")]),
        SyncedTable(name: "patient", merge: .lastWriterWins,
                    groups: [("identity", ["site_id", "chart", "chart_seq", "created_at"]),
                             ("details", ["first", "last", "dob", "phone", "email", "search"])],
                    references: [("site_id", "site")]),
        // One row per patient, its id the patient's (issue 27): address and emergency contact, archiving,
        // and a merged chart's alias to the chart kept.
        SyncedTable(name: "patient_contact", merge: .lastWriterWins,
                    groups: [("details", ["patient_id"]), ("address", ["address"]), ("emergency", ["emergency_contact"])],
                    references: [("patient_id", "patient")]),
        SyncedTable(name: "patient_archive", merge: .lastWriterWins,
                    groups: [("details", ["patient_id", "archived"])], references: [("patient_id", "patient")]),
        SyncedTable(name: "patient_alias", merge: .lastWriterWins,
                    groups: [("details", ["patient_id", "keep_id", "merged_at"])],
                    references: [("patient_id", "patient"), ("keep_id", "patient")]),
        SyncedTable(name: "working_hours", merge: .lastWriterWins,
                    groups: [("details", ["staff_id", "weekday", "start_min", "end_min", "created_at"]), ("site", ["site_id"])],
                    references: [("staff_id", "staff"), ("site_id", "site")], siteFromOrigin: ("site", "site_id")),
        SyncedTable(name: "time_off", merge: .lastWriterWins,
                    groups: [("details", ["staff_id", "start_ms", "end_ms", "reason", "created_at"])],
                    references: [("staff_id", "staff")]),
        SyncedTable(name: "appointment", merge: .lastWriterWins,
                    groups: [("booking", ["patient_id", "service_id", "series_id", "created_at"]),
                             ("slot", ["start_ms", "end_ms", "staff_id", "room_id"]),
                             ("status", ["status", "late_cancel", "cancel_reason"])],
                    references: [("patient_id", "patient"), ("service_id", "service"), ("staff_id", "staff"), ("room_id", "room")],
                    span: ("start_ms", "end_ms"), localColumns: ["updated_at"]),
        SyncedTable(name: "precaution", merge: .lastWriterWins,
                    groups: [("details", ["patient_id", "code", "recorded_by", "created_at"]), ("active", ["active"])],
                    references: [("patient_id", "patient"), ("recorded_by", "staff")], localColumns: ["updated_at"]),
        SyncedTable(name: "consent", merge: .insertOnly,
                    groups: [("details", ["patient_id", "intervention", "action", "date", "guardian", "risks", "recorded_by", "created_at"])],
                    references: [("patient_id", "patient"), ("recorded_by", "staff")]),
        SyncedTable(name: "note", merge: .lastWriterWins,
                    groups: [("header", ["appointment_id", "patient_id", "author_id", "session_date", "created_at"]),
                             ("subjective", ["subjective"]), ("objective", ["objective"]), ("assessment", ["assessment"]),
                             ("plan", ["plan"]), ("measures", ["pain_before", "pain_after", "psfs", "ndi", "odi"]),
                             ("needles", ["needles_removed"]),
                             ("signature", ["status", "signed_by", "signed_at", "content_hash", "acknowledged", "signed_content"])],
                    references: [("appointment_id", "appointment"), ("patient_id", "patient"), ("author_id", "staff")],
                    signing: .signedNote, localColumns: ["updated_at"]),
        SyncedTable(name: "needling", merge: .insertOnly,
                    groups: [("details", ["note_id", "point", "muscle", "side", "gauge_mm", "length_mm", "depth_mm", "technique",
                                          "retention_min", "estim_hz", "estim_min", "count", "created_at"])],
                    references: [("note_id", "note")], signing: .coveredBySignature(snapshotField: "needling")),
        // A site removed from a draft (`note needle --remove`); not a reference to the needling row, which a
        // signature that does not cover it deletes.
        SyncedTable(name: "needling_removal", merge: .insertOnly,
                    groups: [("details", ["needling_id", "note_id", "removed_by", "created_at"])],
                    references: [("note_id", "note"), ("removed_by", "staff")]),
        SyncedTable(name: "adverse_event", merge: .insertOnly,
                    groups: [("details", ["note_id", "kind", "detail", "created_at"])], references: [("note_id", "note")],
                    signing: .coveredBySignature(snapshotField: "adverse_events")),
        SyncedTable(name: "amendment", merge: .insertOnly,
                    groups: [("details", ["note_id", "author_id", "text", "amends_hash", "content_hash", "created_at"])],
                    references: [("note_id", "note"), ("author_id", "staff")]),
        SyncedTable(name: "amendment_signature", merge: .insertOnly,
                    groups: [("details", ["amendment_id", "signer_id", "key_id", "signed_at", "document", "signature"])],
                    references: [("amendment_id", "amendment"), ("signer_id", "staff")]),
        SyncedTable(name: "conflict_resolution", merge: .insertOnly,
                    groups: [("details", ["conflict_id", "keep", "resolved_by", "resolved_at"])], references: []),
    ]

    private static let byName: [String: (rank: Int, table: SyncedTable)] =
        Dictionary(uniqueKeysWithValues: tables.enumerated().map { ($1.name, ($0, $1)) })

    public static func table(_ name: String) -> SyncedTable? { byName[name]?.table }

    /// Position in dependency order, for applying a batch parents-first.
    public static func rank(_ name: String) -> Int { byName[name]?.rank ?? tables.count }

    /// Tables holding clinical content, which only clinicians may read (in conflicts too).
    public static let clinicalTables: Set<String> = ["note", "needling", "needling_removal", "adverse_event", "amendment", "amendment_signature", "consent", "precaution"]

    /// Note groups that a signature freezes: once signed, these come only from the signature's snapshot.
    public static let noteContentGroups = ["subjective", "objective", "assessment", "plan", "measures", "needles"]

    /// The note group that holds its signature (status, signer, snapshot).
    public static let noteSignatureGroup = "signature"

    /// The group name of a change that deletes its row.
    public static let deletionGroup = "_deleted"

    /// The table whose rows a signature freezes (`SyncedTable.Signing.signedNote`).
    public static let signedNoteTable: SyncedTable = tables.first { $0.signing == .signedNote } ?? tables[0]

    /// The tables whose rows a note's signature covers by id, in dependency order.
    public static let signatureCoveredTables: [SyncedTable] = tables.filter { $0.coveringSnapshotField != nil }
}
