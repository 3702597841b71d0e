extension Database {
    /// Opens a site's database as every clinic command and test does: a plain connection
    /// (`init(opening:create:)`), then change capture and note ranking registered on it, then its schema
    /// brought up to date by `Migrator` unless `migrate` is false (tests that build an older release's
    /// database). Refuses a database newer than this binary (`schema-too-new`).
    public convenience init(path: String, create: Bool = true, migrate: Bool = true) throws {
        try self.init(opening: path, create: create)
        let capture = try CaptureBuffer.install(on: self)
        try NoteRank.install(on: self)
        if migrate { try Migrator.clinic.migrate(self) }
        capture.isEnabled = try schemaVersion() >= Migrations.captureVersion
    }
}
