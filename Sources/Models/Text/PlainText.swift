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

    /// C0 controls (U+0000–U+001F), DEL (U+007F) and C1 controls (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// True when `text` holds no control character, apart from LF and tab in multi-line text.
    /// Scans UTF-8 bytes: a CSV import checks hundreds of thousands of fields.
    public static func isClean(_ text: String, layout: Layout = .singleLine) -> Bool {
        var afterC2 = false
        for byte in text.utf8 {
            // U+0080–U+009F are the two bytes C2 80 … C2 9F.
            if afterC2, (0x80...0x9F).contains(byte) { return false }
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
