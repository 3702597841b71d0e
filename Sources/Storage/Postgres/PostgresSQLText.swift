import Foundation
/// The SQL text clinic writes once, in SQLite's spelling of parameters, as PostgreSQL reads it.
///
/// Repositories write `?` (the next parameter) and `?N` (parameter N); PostgreSQL only knows `$N`.
/// The rewrite follows SQLite's own numbering — a bare `?` is one more than the largest number
/// used so far — and leaves alone what is not a parameter: string literals (`'a?b'`, with `''`
/// inside), quoted identifiers (`"x?"`), and comments (`-- ?` to the end of the line, `/* ? */`).
/// The backend rewrites each text once and keeps the result with its statement.
public enum PostgresSQLText {
    /// A rewritten text and the number of parameters it takes (the largest `$N`).
    public struct Rewritten: Equatable, Sendable {
        public let sql: String
        public let parameterCount: Int
    }

    public static func rewrite(_ sql: String) -> Rewritten {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var largest = 0
        var index = 0

        /// Copies bytes up to and including the first `terminator` after `index` (or to the end).
        func copyQuoted(_ terminator: UInt8) {
            out.append(bytes[index])
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                out.append(byte)
                index += 1
                if byte == terminator {
                    // A doubled quote stays inside the literal.
                    if index < bytes.count, bytes[index] == terminator {
                        out.append(terminator)
                        index += 1
                        continue
                    }
                    return
                }
            }
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                copyQuoted(byte)
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
                    out.append(bytes[index])
                    index += 1
                }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                out.append(contentsOf: [bytes[index], bytes[index + 1]])
                index += 2
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        out.append(contentsOf: [UInt8(ascii: "*"), UInt8(ascii: "/")])
                        index += 2
                        break
                    }
                    out.append(bytes[index])
                    index += 1
                }
            case UInt8(ascii: "?"):
                index += 1
                var number = 0
                var digits = 0
                while index < bytes.count, let digit = decimal(bytes[index]) {
                    number = number * 10 + digit
                    digits += 1
                    index += 1
                }
                if digits == 0 { number = largest + 1 }
                largest = max(largest, number)
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: Array(String(number).utf8))
            default:
                out.append(byte)
                index += 1
            }
        }
        return Rewritten(sql: String(decoding: out, as: UTF8.self), parameterCount: largest)
    }

    private static func decimal(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// The statements of a script, split at each top-level `;`: not inside a literal, a quoted name,
    /// a comment or a dollar-quoted body (`$$ … $$`, `$fn$ … $fn$`: plpgsql). Blank statements and
    /// comment-only ones are dropped. PostgresNIO speaks only the extended protocol, which takes one
    /// statement per message.
    public static func statements(_ script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0
        var meaningful = false

        func finish(_ end: Int) {
            if meaningful {
                let text = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { statements.append(text) }
            }
            meaningful = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                meaningful = true
                index += 1
                while index < bytes.count {
                    if bytes[index] == byte {
                        if index + 1 < bytes.count, bytes[index + 1] == byte { index += 2; continue }
                        break
                    }
                    index += 1
                }
                index += 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
            case UInt8(ascii: "$"):
                meaningful = true
                // A dollar quote's tag: `$`, letters, digits or underscores, `$`. `$1` is a parameter.
                var end = index + 1
                while end < bytes.count, bytes[end] == UInt8(ascii: "_") || (bytes[end] | 0x20 >= UInt8(ascii: "a") && bytes[end] | 0x20 <= UInt8(ascii: "z"))
                        || (end > index + 1 && decimal(bytes[end]) != nil) { end += 1 }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else { index += 1; continue }
                let tag = Array(bytes[index...end])
                index = end + 1
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "$"), index + tag.count <= bytes.count, Array(bytes[index..<(index + tag.count)]) == tag {
                        index += tag.count
                        break
                    }
                    index += 1
                }
            case UInt8(ascii: ";"):
                finish(index)
                index += 1
                start = index
            default:
                if byte > 0x20 { meaningful = true }
                index += 1
            }
        }
        finish(bytes.count)
        return statements
    }
}
