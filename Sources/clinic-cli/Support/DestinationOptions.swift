import ArgumentParser
import Storage

/// `--to` and `--force`, the same for every command that writes a file, so none of them can
/// overwrite a file (or the database) by a slip of the keyboard.
struct DestinationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File to write, or - for standard output. An existing file is refused unless --force; the database never.",
                               valueName: "file"))
    var to: String

    @Flag(help: "Replace the --to file if it already exists (never the database or its -wal/-shm).")
    var force = false

    /// An empty name would resolve to a folder; say what is expected instead.
    func validate() throws {
        guard !to.isEmpty else { throw ValidationError("--to needs a file name, or - for standard output") }
    }

    /// What the export writes to.
    var target: ExportTarget { to == "-" ? .standardOutput : .file(to, replacing: force) }

    /// The destination as a summary names it.
    var name: String { isStandardOutput ? "standard output" : to }

    /// True when the export itself goes to stdout, so the command's summary must go to stderr.
    var isStandardOutput: Bool { target == .standardOutput }
}
