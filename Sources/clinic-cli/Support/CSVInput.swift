import Foundation
import Models
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file given on the command line, or standard input for `-`, open for streaming: the file is
/// never read whole into memory.
final class CSVInput {
    private let descriptor: Int32
    private let owned: Bool
    let stream: CSVStream

    init(_ path: String) throws {
        if path == "-" {
            descriptor = STDIN_FILENO
            owned = false
            stream = CSVStream(descriptor: descriptor, totalBytes: nil)
            return
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ClinicError(.noSuchFile, "no file at \(path)") }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw ClinicError(.unreadable, "cannot read \(path)") }
        var status = stat()
        guard fstat(opened, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
            close(opened)
            throw ClinicError(.unreadable, "\(path) is a folder, not a CSV file")
        }
        descriptor = opened
        owned = true
        let isRegular = (status.st_mode & S_IFMT) == S_IFREG
        stream = CSVStream(descriptor: opened, totalBytes: isRegular ? Int(status.st_size) : nil)
    }

    deinit { if owned { close(descriptor) } }
}
