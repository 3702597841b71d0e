import Foundation
import Models

/// The one way an export reaches the disk, so no reader ever sees half a file and no export lands
/// where it destroys something: the bytes go to a temporary file beside the target, created
/// readable by its owner only (it holds patient data) before the first byte; `commit` fsyncs it,
/// renames it into place and fsyncs the folder. An export dropped before `commit` (an error, a
/// refusal) removes its temporary file and leaves the target as it was.
///
/// Writes are buffered, so a change log of a million lines streams through it without holding the
/// file in memory or calling the kernel per line. Owns a file descriptor, hence a class.
public final class ExportFile {
    private let target: ExportTarget
    private let databasePath: String
    private var descriptor: Int32
    /// The temporary file beside the target; nil when writing to standard output.
    private let temporaryPath: String?
    private var buffer: [UInt8] = []
    private var finished = false

    /// How much is gathered before one `write(2)`.
    static let bufferSize = 1 << 16

    /// Opens `target` for writing, refusing (1 `exists`) the database's own files whatever the
    /// target allows, and an existing file unless it allows replacing. Checked before any work, so a
    /// refused export costs nothing and writes nothing.
    public init(_ target: ExportTarget, protecting database: Database) throws {
        self.target = target
        databasePath = database.path
        buffer.reserveCapacity(Self.bufferSize)
        guard case .file(let path, let replacing) = target else {
            descriptor = STDOUT_FILENO
            temporaryPath = nil
            return
        }
        try ExportTarget.refuseDatabaseFiles(path, database: databasePath)
        if !replacing { try ExportTarget.refuseExisting(path) }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp").path
        // 0600 from the moment the file exists: no window where another user could open it.
        let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw ClinicError(.unwritable, "cannot create a file in the folder of \(.destination): check that it exists and is writable")
        }
        guard fchmod(opened, 0o600) == 0 else {
            close(opened)
            unlink(temporary)
            throw ClinicError(.unwritable, "cannot make \(.destination) private to its owner")
        }
        descriptor = opened
        temporaryPath = temporary
    }

    deinit { discard() }

    /// Appends bytes; they reach the file (or stdout) in large writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends a line or a sealed chunk as the change log builds it.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends text as UTF-8 (a FHIR bundle, a calendar, a header line).
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Puts the file in place: fsync, then a rename over the target (or, when the target must not
    /// be replaced, a link that fails if something took the name meanwhile), then an fsync of the
    /// folder so the new name survives a power cut. For standard output, flushes.
    public func commit() throws {
        guard !finished else { return }
        try flush()
        guard case .file(let path, let replacing) = target, let temporaryPath else {
            finished = true
            return
        }
        guard fsync(descriptor) == 0 else { throw ClinicError(.unwritable, "cannot write \(.destination) to disk (errno \(errno))") }
        close(descriptor)
        descriptor = -1
        // The names are checked again at the last moment: a link made to the database meanwhile is still refused.
        try ExportTarget.refuseDatabaseFiles(path, database: databasePath)
        if replacing {
            guard rename(temporaryPath, path) == 0 else {
                throw ClinicError(.unwritable, "cannot put \(.destination) in place (errno \(errno))")
            }
        } else {
            try placeWithoutReplacing(temporaryPath, at: path)
        }
        finished = true
        syncFolder(of: path)
    }

    /// `link` refuses a name that exists, which `rename` would silently replace; file systems
    /// without hard links fall back to a check and a rename.
    private func placeWithoutReplacing(_ temporary: String, at path: String) throws {
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let failure = errno
        try ExportTarget.refuseExisting(path)
        guard [EPERM, ENOTSUP, EOPNOTSUPP, EXDEV, EMLINK].contains(failure), rename(temporary, path) == 0 else {
            throw ClinicError(.unwritable, "cannot put \(.destination) in place (errno \(failure))")
        }
    }

    private func syncFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let handle = open(folder, O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else { return }
        _ = fsync(handle)
        close(handle)
    }

    /// Closes and removes the temporary file of an export that was never committed.
    private func discard() {
        guard !finished else { return }
        finished = true
        if let temporaryPath {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes every byte, resuming after a short write or a signal.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = writeToDescriptor(descriptor, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw ClinicError(.unwritable, "cannot write the export (errno \(errno))")
            }
            left -= written
            next += written
        }
    }
}

/// `write(2)`, named apart from `ExportFile.write` so the method can call it.
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
