import Models

/// Numbered schema migrations, run by `Migrator`; `PRAGMA user_version` records the last one applied.
enum Migrations {
    /// Every migration in order; migration N brings the schema to version N.
    static let all: [String] = [Schema.v1Foundation, Schema.v2Scheduling, Schema.v3Clinical, Schema.v4Sync, Schema.v5Interop, Schema.v6Keys, Schema.v7ChangeKey, Schema.v8CaptureFunction,
                                  Schema.v9ChangesByRow, Schema.v10ChangesByRowID, Schema.v11StaffAccess, Schema.v12PeerAudit,
                                  Schema.v13LocalSettings, Schema.v14Identity, Schema.v15Sites,
                                  Schema.v16Closures + Schema.v16PatientRecords, Schema.v17Search]

    /// Columns a migration adds before its script runs, by the version it brings. Added only where
    /// missing: SQLite has no `ADD COLUMN IF NOT EXISTS`, and a database can be at an older version
    /// number with a newer column (a site's version set back to repeat a later migration).
    static let addedColumns: [Int: [(table: String, column: String, definition: String)]] = [
        11: [("staff", "roles", "TEXT"), ("staff", "active", "INTEGER NOT NULL DEFAULT 1")],
        12: [("peer", "export_serial", "INTEGER NOT NULL DEFAULT 0"), ("peer", "audit_sent", "TEXT NOT NULL DEFAULT '[]'"),
             ("peer", "audit_serial", "INTEGER"), ("peer", "audit_count", "INTEGER"), ("peer", "audit_hash", "TEXT"),
             ("peer", "audit_rewound_at", "INTEGER")],
        14: [("local_setting", "database_id", "TEXT")],
        15: [("working_hours", "site_id", "TEXT REFERENCES site(id)"), ("local_setting", "resolutions_seen_seq", "INTEGER")],
    ]

    /// Work a migration does in Swift after its script, by the version it brings.
    static let afterScript: [Int: @Sendable (Database) throws -> Void] = [
        15: Schema.offerServicesWhereUsed,
    ]

    /// The first schema version with change capture.
    static let captureVersion = 4

    /// The schema version this binary writes.
    static var latest: Int { all.count }

    static func schemaTooNew(_ version: Int) -> StorageError {
        StorageError(.schemaTooNew, resultCode: 0,
                     message: "the database has schema version \(version) but this clinic binary knows only up to \(latest); install a newer clinic")
    }
}

/// The newest schema this binary knows, for `clinic --version`.
public enum SchemaVersion {
    public static var newest: Int { Migrations.latest }
}
