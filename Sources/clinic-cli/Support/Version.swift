import Storage

/// The release, in one place: `clinic --version` prints it with the newest schema this binary knows.
enum ClinicVersion {
    static let release = "0.27.0"

    static var line: String { "clinic \(release) (schema \(SchemaVersion.newest))" }
}
