/// A patient's chart number, `MTL-000042`: the site code and a per-site sequence.
public struct ChartNumber: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let siteCode: String
    public let sequence: Int

    public init(siteCode: String, sequence: Int) {
        self.siteCode = siteCode
        self.sequence = sequence
    }

    /// Parses `MTL-000042` (case-insensitive site code); nil when it is not a chart number.
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, SiteCode.isValid(String(parts[0])),
              parts[1].count >= 1, parts[1].count <= 9, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(parts[1]), number > 0 else { return nil }
        self.siteCode = String(parts[0])
        self.sequence = number
    }

    /// The number after `highest`, the largest sequence already used at the site.
    public static func next(siteCode: String, after highest: Int?) -> ChartNumber {
        ChartNumber(siteCode: siteCode, sequence: (highest ?? 0) + 1)
    }

    public var description: String {
        let digits = String(sequence)
        return siteCode + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func < (lhs: ChartNumber, rhs: ChartNumber) -> Bool {
        (lhs.siteCode, lhs.sequence) < (rhs.siteCode, rhs.sequence)
    }
}

/// Site codes are short upper-case tags (`MTL`, `QC2`) that prefix chart numbers.
public enum SiteCode {
    /// 2–8 ASCII letters or digits, starting with a letter.
    public static func isValid(_ code: String) -> Bool {
        // Read as bytes: every accepted character is one ASCII byte (the import checks each change's origin).
        let bytes = code.utf8
        guard (2...8).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return false }
        return bytes.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
