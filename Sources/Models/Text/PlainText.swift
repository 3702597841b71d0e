/// Names, reasons and notes typed by one person are shown on other people's terminals, where a
/// control character is a command: `ESC ] 0 ; … BEL` retitles the window, `ESC [ 8 m` hides what
/// follows, a NUL cuts a value short in C code. Such characters are refused when the text enters.
public enum PlainText {
    /// Whether a field may carry layout of its own.
    public enum Layout: Sendable {
        /// Names, phone numbers, reasons: no control character at all, not even a tab.
        case singleLine
        /// Note text and amendments: line breaks (LF) and tabs are kept, every other control character refused.
        case multiLine
    }

    /// C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F), and the format
    /// characters that rearrange what a terminal or a table shows: the bidirectional embeddings,
    /// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make `evil` read `live`, and
    /// the line and paragraph separators (U+2028, U+2029), which break a row in two.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || (0x2028...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// True when `text` holds no control character, apart from LF and tab in multi-line text.
    /// Scans UTF-8 bytes: a CSV import checks hundreds of thousands of fields.
    public static func isClean(_ text: String, layout: Layout = .singleLine) -> Bool {
        var afterC2 = false
        var afterE2 = false, afterE280 = false, afterE281 = false
        for byte in text.utf8 {
            // U+0080–U+009F are the two bytes C2 80 … C2 9F.
            if afterC2, (0x80...0x9F).contains(byte) { return false }
            // U+2028–U+202E are E2 80 A8 … E2 80 AE; U+2066–U+2069 are E2 81 A6 … E2 81 A9.
            if afterE280, (0xA8...0xAE).contains(byte) { return false }
            if afterE281, (0xA6...0xA9).contains(byte) { return false }
            afterE280 = afterE2 && byte == 0x80
            afterE281 = afterE2 && byte == 0x81
            afterE2 = byte == 0xE2
            afterC2 = byte == 0xC2
            if byte == 0x7F { return false }
            if byte < 0x20 {
                guard layout == .multiLine, byte == 0x0A || byte == 0x09 else { return false }
            }
        }
        return true
    }

    /// Refuses (64 `invalid-text`) text with a control character; the message names `field`
    /// (such as the last name), never the value, which may be a patient's name.
    public static func require(_ text: String?, field: ClinicField, layout: Layout = .singleLine) throws {
        guard let text, !isClean(text, layout: layout) else { return }
        let allowed = layout == .multiLine ? " other than line breaks and tabs" : ""
        throw ClinicError(.invalidText, "\(field) must not contain control characters\(allowed) (such as escape sequences or NUL)")
    }
}
