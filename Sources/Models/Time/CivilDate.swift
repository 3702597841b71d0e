/// A calendar date with no zone (`2026-12-01`), as used for dates of birth, `--date` and `--until`.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid proleptic Gregorian date, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` strictly (surrounding spaces allowed).
    public static func parse(_ text: String) -> CivilDate? {
        parseCompact(text) ?? parseCompact(text.trimmingCharacters(in: .whitespaces))
    }

    /// `YYYY-MM-DD` exactly, four, two and two ASCII digits, read from its bytes: the form every
    /// stored date has, so reading a row needs no trimming, splitting or character classes.
    static func parseCompact(_ text: String) -> CivilDate? {
        var text = text
        return text.withUTF8 { bytes -> CivilDate? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return CivilDate(year: year, month: month, day: day)
        }
    }

    /// Parses `YYYY-MM-DD` or throws a usage error naming the option.
    public static func parse(_ text: String, field: ClinicField) throws -> CivilDate {
        guard let date = parse(text) else {
            throw ClinicError(.invalidDate, "\(field) must be a real date written YYYY-MM-DD" + ErrorMessage(verbatim: ErrorMessage.given(text, for: field)))
        }
        return date
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm), so date arithmetic needs no calendar.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let w = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// The Monday of this date's week: schedules and reports run Monday to Sunday (ISO 8601).
    public var startOfWeek: CivilDate { adding(days: 1 - weekday) }

    /// The seven days of this date's week, Monday to Sunday.
    public var week: [CivilDate] { (0..<7).map { startOfWeek.adding(days: $0) } }

    /// Whole years of age reached on `date`.
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public var description: String {
        let y = String(year), m = String(month), d = String(day)
        return String(repeating: "0", count: 4 - y.count) + y + "-" + (m.count == 1 ? "0" : "") + m + "-" + (d.count == 1 ? "0" : "") + d
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

import Foundation
