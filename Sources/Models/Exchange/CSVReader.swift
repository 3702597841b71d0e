import Foundation

/// A problem at one place in an input file. The message names the line, the column and what is
/// expected, never the value found, so a refusal can be shown or logged without patient data.
public struct FileProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// 1-based column, or nil when the whole line is at fault.
    public var column: Int?
    public var columnName: String?
    /// What is wrong, with any input it names kept as a field (`ClinicField`).
    public var message: ErrorMessage

    public init(line: Int, column: Int? = nil, columnName: String? = nil, message: ErrorMessage) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    public var description: String { text.description }

    /// Where the problem is, then what it is.
    public var text: ErrorMessage {
        var place = "line \(line)"
        if let column { place += ", column \(column)" }
        if let columnName { place += " (\(columnName))" }
        return ErrorMessage(verbatim: "\(place): ") + message
    }
}

/// One CSV record and the physical line it starts on (records may span lines inside quotes).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

/// RFC 4180 CSV as other clinic systems export it: UTF-8 with or without a BOM, comma or
/// semicolon (Excel in French and most of Europe writes semicolons), quoted fields with doubled
/// quotes and embedded newlines, CRLF or LF.
public enum CSVReader {
    /// The delimiter of the header line: whichever of `,` and `;` appears more outside quotes.
    public static func detectDelimiter(_ bytes: [UInt8], from start: Int = 0) -> UInt8 {
        var commas = 0, semicolons = 0, quoted = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote { quoted.toggle() } else if !quoted {
                if byte == newline || byte == carriageReturn { break }
                if byte == comma { commas += 1 } else if byte == semicolon { semicolons += 1 }
            }
            index += 1
        }
        return semicolons > commas ? semicolon : comma
    }

    /// Every record of the file; throws the first structural problem (bad UTF-8, an unclosed quote,
    /// text after a closing quote) as a `FileProblem`.
    public static func records(_ data: [UInt8]) throws -> [CSVRecord] {
        var stream = CSVStream(bytes: data)
        var records: [CSVRecord] = []
        while let record = try stream.next() { records.append(record) }
        return records
    }

    /// UTF-8 text, or nil for invalid bytes; ASCII (nearly every field) takes the fast path.
    static func decode(_ bytes: [UInt8]) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return String(bytes: bytes, encoding: .utf8)
    }

    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
}

extension FileProblem: Error {}

/// The records of a CSV file one at a time, read in chunks: a file of any length is imported in the
/// memory of one record (`CSVReader`'s format: BOM, `,` or `;`, quotes, CRLF or LF).
public struct CSVStream {
    /// Fills the buffer from its start and says how many bytes it wrote; 0 at the end of the input.
    public typealias Fill = (UnsafeMutableRawBufferPointer) throws -> Int

    private let fill: Fill
    private var buffer: [UInt8]
    private var count = 0
    private var index = 0
    private var finished = false
    private var started = false
    private var delimiter = CSVReader.comma
    private var line = 1
    private var field: [UInt8] = []
    /// Bytes handed to the parser so far (for a progress bar).
    public private(set) var bytesRead = 0
    /// The input's size when known (a regular file), for a progress bar's share and time left.
    public let totalBytes: Int?

    public init(totalBytes: Int? = nil, chunkSize: Int = 1 << 16, fill: @escaping Fill) {
        self.fill = fill
        self.totalBytes = totalBytes
        buffer = [UInt8](repeating: 0, count: max(chunkSize, 1))
    }

    /// A stream over bytes already in memory.
    public init(bytes: [UInt8]) {
        var offset = 0
        self.init(totalBytes: bytes.count) { target in
            let length = min(target.count, bytes.count - offset)
            guard length > 0 else { return 0 }
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + length])) }
            offset += length
            return length
        }
    }

    /// A stream over an open file descriptor (a file, or standard input), read until its end.
    public init(descriptor: Int32, totalBytes: Int?) {
        self.init(totalBytes: totalBytes) { target in
            while true {
                let got = read(descriptor, target.baseAddress, target.count)
                if got >= 0 { return got }
                guard errno == EINTR else { throw ClinicError(.unreadable, "the CSV input cannot be read") }
            }
        }
    }

    /// The next record, or nil at the end; blank lines are skipped.
    public mutating func next() throws -> CSVRecord? {
        if !started { try start() }
        var fields: [String] = []
        var inQuotes = false, wasQuoted = false, quotePending = false
        var quoteLine = line
        var recordLine = line
        var sawAnything = false

        func finishField() throws {
            guard let text = CSVReader.decode(field) else {
                throw FileProblem(line: recordLine, column: fields.count + 1, message: "is not valid UTF-8 text")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while true {
            guard let byte = try nextByte() else {
                if quotePending { inQuotes = false }
                if inQuotes {
                    throw FileProblem(line: quoteLine, column: fields.count + 1, message: "a quoted field is never closed")
                }
                guard sawAnything else { return nil }
                try finishField()
                return fields.count == 1 && fields[0].isEmpty ? nil : CSVRecord(line: recordLine, fields: fields)
            }
            sawAnything = true
            if quotePending {
                quotePending = false
                if byte == CSVReader.quote {
                    field.append(CSVReader.quote)
                    continue
                }
                inQuotes = false
            } else if inQuotes {
                if byte == CSVReader.quote {
                    quotePending = true
                } else {
                    if byte == CSVReader.newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case CSVReader.quote:
                guard field.isEmpty, !wasQuoted else {
                    throw FileProblem(line: line, column: fields.count + 1, message: "a quote may only open a field; write \"\" inside quotes")
                }
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            case delimiter:
                try finishField()
            case CSVReader.carriageReturn:
                break
            case CSVReader.newline:
                try finishField()
                line += 1
                if fields.count == 1 && fields[0].isEmpty {
                    fields.removeAll(keepingCapacity: true)
                    recordLine = line
                    sawAnything = false
                    continue
                }
                return CSVRecord(line: recordLine, fields: fields)
            default:
                if wasQuoted {
                    throw FileProblem(line: line, column: fields.count + 1, message: "text after a closing quote; quote the whole field")
                }
                field.append(byte)
            }
        }
    }

    /// Reads until the header line is whole (or the input ends), skips a BOM, and takes the delimiter from it.
    private mutating func start() throws {
        started = true
        var head: [UInt8] = []
        while !finished, !head.contains(CSVReader.newline) {
            try refill()
            head.append(contentsOf: buffer[0..<count])
        }
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF {
            head.removeFirst(3)
            bytesRead += 3
        }
        delimiter = CSVReader.detectDelimiter(head)
        // What was read ahead is parsed first.
        buffer = head + [UInt8](repeating: 0, count: max(buffer.count - head.count, 0))
        count = head.count
        index = 0
        finished = false
    }

    private mutating func refill() throws {
        let got = try buffer.withUnsafeMutableBytes { try fill($0) }
        count = got
        index = 0
        if got == 0 { finished = true }
    }

    @inline(__always)
    private mutating func nextByte() throws -> UInt8? {
        if index == count {
            if finished && count == 0 { return nil }
            try refill()
            if count == 0 { return nil }
        }
        let byte = buffer[index]
        index += 1
        bytesRead += 1
        return byte
    }
}
