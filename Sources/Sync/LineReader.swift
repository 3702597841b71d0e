import Foundation
import Models

/// Reads a file line by line without loading it whole, refusing absurdly long lines.
final class LineReader {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer = [UInt8]()
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var finished = false
    static let maximumLineBytes = 64 << 20
    private(set) var lineNumber = 0

    init(path: String) throws {
        guard let handle = fopen(path, "rb") else {
            if errno == ENOENT { throw ClinicError(.noSuchFile, "no change-log file at \(path)") }
            throw ClinicError(.unreadable, "cannot open the change-log file \(path)")
        }
        self.handle = handle
    }

    deinit { fclose(handle) }

    /// The next line without its newline, or nil at the end; `endsWithNewline` tells if it was complete.
    func next() throws -> (bytes: ArraySlice<UInt8>, endsWithNewline: Bool)? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                lineNumber += 1
                return (line, true)
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                lineNumber += 1
                return (line, false)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            guard buffer.count <= Self.maximumLineBytes else { throw SyncError.badFile("a line is too long", line: lineNumber + 1) }
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if read == 0 { finished = true } else { buffer.append(contentsOf: chunk[0..<read]) }
        }
    }
}
