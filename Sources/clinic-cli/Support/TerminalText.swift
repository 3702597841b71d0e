import Models

/// What reaches a terminal. Text stored before the entry checks, synced from an older peer or
/// written around the program may still hold control characters, which a terminal would obey
/// (retitle the window, hide or rewrite lines): every human-readable output passes through here.
enum TerminalText {
    /// `text` with each control character shown as a visible escape such as `\u{1B}`; with
    /// `keepingLayout`, line breaks and tabs stay as they are (note text, whole screens of output).
    static func escaped(_ text: String, keepingLayout: Bool = false) -> String {
        let layout: PlainText.Layout = keepingLayout ? .multiLine : .singleLine
        guard !PlainText.isClean(text, layout: layout) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if PlainText.isControl(scalar), !(keepingLayout && (scalar == "\n" || scalar == "\t")) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                shown.append(contentsOf: "\\u{\(hex.count < 2 ? "0" + hex : hex)}".unicodeScalars)
            } else {
                shown.append(scalar)
            }
        }
        return String(shown)
    }
}
