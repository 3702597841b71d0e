import Foundation
import Models

/// Where an export goes. A file is never one of the database's own (an export over the database
/// destroys every record), and an existing file is only replaced when the user said so.
public enum ExportTarget: Sendable, Equatable {
    /// Standard output, for a pipe (`--to -`).
    case standardOutput
    /// A file; `replacing` allows an existing one (`--force`), never the database's.
    case file(String, replacing: Bool = false)

    /// Refuses (1 `exists`) a path that is, or resolves to, the database, its `-wal`, `-shm` or
    /// `-journal`: through `..`, symbolic links or a hard link, whatever `--force` says.
    static func refuseDatabaseFiles(_ path: String, database: String) throws {
        guard database != ":memory:" else { return }
        let candidate = resolved(path)
        let suffixes = ["", "-wal", "-shm", "-journal"]
        var protected = Set(suffixes.map { resolved(database + $0) })
        if let real = realPath(database) { protected.formUnion(suffixes.map { real + $0 }) }
        var identity = stat()
        let sameFile = stat(candidate, &identity) == 0 && protected.contains { name in
            var other = stat()
            return stat(name, &other) == 0 && other.st_dev == identity.st_dev && other.st_ino == identity.st_ino
        }
        if protected.contains(candidate) || sameFile {
            throw ClinicError(.exists, "\(.destination) names the clinic database or one of its files; choose another file (\(.force) never allows this)")
        }
    }

    /// Refuses (1 `exists`) a path something already occupies (a file, a folder, even a dangling link).
    static func refuseExisting(_ path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            throw ClinicError(.exists, "\(.destination) names a file that already exists; add \(.force) to replace it")
        }
    }

    /// The absolute path with `.`, `..` and symbolic links resolved; for a file not there yet, its
    /// folder is resolved and its name kept.
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path)
        if let real = realPath(absolute.path) { return real }
        let name = absolute.lastPathComponent
        if let folder = realPath(absolute.deletingLastPathComponent().path) {
            return folder == "/" ? "/" + name : folder + "/" + name
        }
        return absolute.standardizedFileURL.path
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
