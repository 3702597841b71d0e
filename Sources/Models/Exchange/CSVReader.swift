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
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        let delimiter = detectDelimiter(data, from: start)
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = start
        var inQuotes = false
        var fieldWasQuoted = false
        var quoteLine = 1

        func finishField() throws {
            guard let text = decode(field) else {
                throw FileProblem(line: recordLine, column: fields.count + 1, message: "is not valid UTF-8 text")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            try finishField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < data.count {
            let byte = data[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < data.count, data[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case quote:
                guard field.isEmpty, !fieldWasQuoted else {
                    throw FileProblem(line: line, column: fields.count + 1, message: "a quote may only open a field; write \"\" inside quotes")
                }
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            case delimiter:
                try finishField()
            case carriageReturn:
                break
            case newline:
                try finishRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw FileProblem(line: line, column: fields.count + 1, message: "text after a closing quote; quote the whole field")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw FileProblem(line: quoteLine, column: fields.count + 1, message: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try finishRecord() }
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
