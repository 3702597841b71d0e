/// Brings a database's schema up to date: the numbered migrations it lacks, in one `BEGIN IMMEDIATE`
/// transaction, each recorded in `PRAGMA user_version`. Run by whoever opens a clinic database
/// (`Database(path:)`), never by the connection itself; refuses a schema newer than it knows.
struct Migrator {
    /// The scripts in order: script N brings the schema to version N.
    let scripts: [String]
    /// Columns a migration adds before its script runs, by the version it brings (see `Migrations.addedColumns`).
    let addedColumns: [Int: [(table: String, column: String, definition: String)]]
    /// Work in Swift after a migration's script, by the version it brings (see `Migrations.afterScript`).
    var afterScript: [Int: @Sendable (Database) throws -> Void] = [:]

    /// The clinic's schema.
    static let clinic = Migrator(scripts: Migrations.all, addedColumns: Migrations.addedColumns, afterScript: Migrations.afterScript)

    /// The schema version this migrator writes.
    var latest: Int { scripts.count }

    /// Applies the migrations up to `target`, all of them by default (tests make a previous
    /// release's database with a lower one).
    func migrate(_ database: Database, to target: Int? = nil) throws {
        let target = target ?? latest
        let current = try database.schemaVersion()
        if current > latest { throw Migrations.schemaTooNew(current) }
        guard current < target else { return }
        try database.write { db in
            let version = try db.schemaVersion()
            if version > latest { throw Migrations.schemaTooNew(version) }
            for index in version..<target {
                try addColumns(addedColumns[index + 1] ?? [], to: db)
                try db.executeScript(scripts[index])
                try afterScript[index + 1]?(db)
                try db.executeScript("PRAGMA user_version = \(index + 1)")
            }
        }
    }

    /// Adds the columns a table lacks: SQLite has no `ADD COLUMN IF NOT EXISTS`, and a database can be
    /// at an older version number with a newer column (a site's version set back to repeat a later migration).
    private func addColumns(_ columns: [(table: String, column: String, definition: String)], to db: Database) throws {
        for added in columns {
            let present = try db.makeStatement(sql: "SELECT name FROM pragma_table_info(?)").query([added.table]).map { $0.string(0) }
            if !present.contains(added.column) {
                try db.executeScript("ALTER TABLE \(added.table) ADD COLUMN \(added.column) \(added.definition)")
            }
        }
    }
}
