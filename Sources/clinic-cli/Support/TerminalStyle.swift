import Foundation

/// Which characters human output may draw with: box-drawing lines, marks and `…` when the locale
/// is UTF-8, plain ASCII when it is not (`LC_ALL`, else `LC_CTYPE`, else `LANG`; none set is the
/// C locale) or the terminal is `TERM=dumb`, where those characters would print as garbage.
/// `clinic` prints no colour, so `NO_COLOR` has nothing to switch off.
enum TerminalStyle: Equatable {
    case unicode, ascii

    /// The style the environment asks for.
    static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        if environment["TERM"] == "dumb" { return .ascii }
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? "C"
        let name = locale.lowercased()
        return name.contains("utf-8") || name.contains("utf8") ? .unicode : .ascii
    }

    /// The mark of shortened text.
    var ellipsis: String { self == .unicode ? "…" : "..." }

    /// The grid's marks: an empty slot, a booking running on, a session done, a no-show.
    var emptySlot: String { self == .unicode ? "·" : "." }
    var runningOn: String { self == .unicode ? "│" : "|" }

    /// `text` with box-drawing lines and block elements (table rules, bar charts) replaced one for one
    /// by `-`, `|`, `+` and `#`, so columns stay aligned; other text (names, notes) is left as it is.
    func drawn(_ text: String) -> String {
        guard self == .ascii, text.unicodeScalars.contains(where: Self.isDrawing) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard Self.isDrawing(scalar) else {
                scalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x2500, 0x2501, 0x2504...0x2505, 0x2508...0x2509, 0x254C...0x254D, 0x2550: scalars.append("-")
            case 0x2502, 0x2503, 0x2506...0x2507, 0x250A...0x250B, 0x254E...0x254F, 0x2551: scalars.append("|")
            case 0x2580...0x259F: scalars.append("#")
            default: scalars.append("+")
            }
        }
        return String(scalars)
    }

    private static func isDrawing(_ scalar: Unicode.Scalar) -> Bool { (0x2500...0x259F).contains(scalar.value) }
}
