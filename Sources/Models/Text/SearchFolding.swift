import Foundation

/// Case- and accent-insensitive matching: `Helene` finds `Hélène`, `MULLER` finds `Müller`.
public enum SearchFolding {
    public static func fold(_ text: String) -> String {
        // ASCII has no accents or ligatures to fold: lower-casing is all (bulk imports fold 100,000s of names).
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        let decomposed = text.decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars where !(0x0300...0x036F).contains(scalar.value) {
            scalars.append(scalar)
        }
        var folded = String(scalars).lowercased()
        for (from, to) in [("ß", "ss"), ("æ", "ae"), ("œ", "oe"), ("ø", "o"), ("ł", "l"), ("đ", "d")] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        return folded
    }
}
