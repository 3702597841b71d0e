import Models

/// Refusals of the sync engine, with the codes and exit classes of docs/CLI.md.
enum SyncError {
    /// Unparseable, truncated, edited or newer-format files: exit 65, nothing changes.
    static func badFile(_ reason: String, line: Int? = nil) -> ClinicError {
        ClinicError(.badFile, "change log refused" + (line.map { " at line \($0)" } ?? "") + ": \(reason); nothing was imported")
    }
}
