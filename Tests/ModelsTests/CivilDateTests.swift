import Foundation
import Models
import Testing

@Suite("Civil dates")
struct CivilDateTests {
    @Test("parse YYYY-MM-DD", arguments: [("2026-12-01", 2026, 12, 1), ("1900-01-01", 1900, 1, 1), ("0001-01-01", 1, 1, 1), ("9999-12-31", 9999, 12, 31)])
    func parse(text: String, year: Int, month: Int, day: Int) throws {
        let date = try #require(CivilDate.parse(text))
        #expect((date.year, date.month, date.day) == (year, month, day))
        #expect(date.description == text)
    }

    @Test("refuse anything that is not a real date written strictly", arguments: [
        "", "2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-13-01", "2026-00-10", "2026-04-31",
        "2026-01-32", "2026-01-00", "0000-01-01", "2026-01-01T00:00", "+026-01-01", "2026-0a-01", "٢٠٢٦-01-01", "2026--01-01",
    ])
    func refuse(text: String) {
        #expect(CivilDate.parse(text) == nil)
    }

    @Test("February 29 exists only in leap years", arguments: [
        (2024, true), (2026, false), (2000, true), (1900, false), (2100, false), (2400, true),
    ])
    func leapDay(year: Int, exists: Bool) {
        #expect((CivilDate.parse(String(year) + "-02-29") != nil) == exists)
        #expect((CivilDate(year: year, month: 2, day: 29) != nil) == exists)
    }

    @Test("parse names the field, not the value")
    func parseNamesField() {
        do {
            _ = try CivilDate.parse("2026-02-30", field: .dateOfBirth)
            Issue.record("2026-02-30 was accepted")
        } catch let error as ClinicError {
            #expect(error.code.name == "invalid-date")
            #expect(error.category == .usage)
            #expect(error.message.contains("the date of birth"))
            #expect(error.text.rendered(naming: { $0 == .dateOfBirth ? "--dob" : "?" }).hasPrefix("--dob must be"))
            #expect(!error.message.contains("2026-02-30"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("weekday is ISO: Monday 1 … Sunday 7", arguments: [
        ("1970-01-01", 4), ("2026-11-23", 1), ("2026-11-29", 7), ("2000-02-29", 2), ("1969-12-31", 3), ("2026-03-08", 7),
    ])
    func weekday(text: String, weekday: Int) {
        #expect(date(text).weekday == weekday)
    }

    @Test("days since 1970 round-trip and agree with Foundation's Gregorian calendar, year 1 to 9999")
    func daysSinceEpochRoundTrip() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let first = try #require(CivilDate(year: 1, month: 1, day: 1)).daysSinceEpoch
        let gregorianReform = try #require(CivilDate(year: 1583, month: 1, day: 1)).daysSinceEpoch
        let last = try #require(CivilDate(year: 9999, month: 12, day: 31)).daysSinceEpoch
        var mismatches: [Int] = []
        for days in stride(from: first, through: last, by: 37) {
            let date = CivilDate(daysSinceEpoch: days)
            if date.daysSinceEpoch != days || CivilDate(year: date.year, month: date.month, day: date.day) != date {
                mismatches.append(days)
            }
            // Foundation switches to the Julian calendar before 1582, so compare only after the reform.
            guard days >= gregorianReform else { continue }
            let components = calendar.dateComponents([.year, .month, .day, .weekday],
                                                     from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let foundationWeekday = ((components.weekday ?? 0) + 5) % 7 + 1
            if components.year != date.year || components.month != date.month || components.day != date.day
                || foundationWeekday != date.weekday {
                mismatches.append(days)
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("every day of 1999–2001 follows the one before")
    func consecutiveDays() throws {
        var current = try #require(CivilDate(year: 1999, month: 1, day: 1))
        let end = try #require(CivilDate(year: 2001, month: 12, day: 31))
        while current < end {
            let next = current.adding(days: 1)
            #expect(next.daysSinceEpoch == current.daysSinceEpoch + 1)
            #expect(next.weekday == current.weekday % 7 + 1)
            #expect(CivilDate.parse(next.description) == next)
            current = next
        }
        #expect(current == end)
    }

    @Test("age counts whole years reached on the day", arguments: [
        ("1980-04-02", "2026-04-01", 45), ("1980-04-02", "2026-04-02", 46), ("1980-04-02", "2026-12-31", 46),
        ("2000-02-29", "2025-02-28", 24), ("2000-02-29", "2025-03-01", 25), ("2000-02-29", "2024-02-29", 24),
        ("2026-11-23", "2026-11-23", 0), ("2010-12-01", "2026-11-30", 15), ("2010-12-01", "2026-12-01", 16),
    ])
    func age(born: String, on day: String, years: Int) {
        #expect(date(born).age(on: date(day)) == years)
    }

    @Test("dates compare in calendar order")
    func ordering() {
        #expect(date("2026-01-31") < date("2026-02-01"))
        #expect(date("2025-12-31") < date("2026-01-01"))
        #expect(!(date("2026-01-01") < date("2026-01-01")))
    }

    @Test("JSON carries dates as YYYY-MM-DD")
    func codable() throws {
        let original = date("1980-04-02")
        let data = try JSONEncoder().encode([original])
        #expect(String(decoding: data, as: UTF8.self) == "[\"1980-04-02\"]")
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [original])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDate].self, from: Data("[\"1980-02-30\"]".utf8)) }
    }
}
