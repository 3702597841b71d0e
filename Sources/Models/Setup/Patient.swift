/// A patient's demographic record; clinical content lives in notes, not here.
public struct Patient: Sendable, Equatable, Codable {
    public var id: String
    public var chart: String
    public var first: String
    public var last: String
    public var dateOfBirth: CivilDate
    public var phone: String?
    public var email: String?

    public init(id: String, chart: String, first: String, last: String, dateOfBirth: CivilDate, phone: String?, email: String?) {
        self.id = id
        self.chart = chart
        self.first = first
        self.last = last
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.email = email
    }

    /// The text `patient find` matches against: names, chart number and phone digits, folded.
    public var searchText: String {
        SearchFolding.fold([first, last, chart, phone ?? "", PhoneDigits.digits(phone ?? "")].joined(separator: " "))
    }

    /// Checks fields a person typed; messages name the field, never its value.
    public static func validate(first: String, last: String, dateOfBirth: CivilDate, today: CivilDate, phone: String?, email: String?) throws {
        for (field, value) in [(ClinicField.firstName, first), (.lastName, last), (.phone, phone), (.email, email)] {
            try PlainText.require(value, field: field)
        }
        for (field, value) in [(ClinicField.firstName, first), (.lastName, last)] {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 100 else {
                throw ClinicError(.invalidName, "\(field) must be 1–100 characters")
            }
        }
        guard dateOfBirth <= today, dateOfBirth.year >= 1900 else {
            throw ClinicError(.invalidDate, "\(.dateOfBirth) must be a date between 1900-01-01 and today")
        }
        if let phone, PhoneDigits.digits(phone).count < 7 || phone.count > 30 {
            throw ClinicError(.invalidPhone, "\(.phone) must hold at least 7 digits")
        }
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" ") else {
                throw ClinicError(.invalidEmail, "\(.email) must look like name@example.org")
            }
        }
    }
}

/// Phone numbers are matched by their digits only.
public enum PhoneDigits {
    public static func digits(_ text: String) -> String { String(text.filter { $0.isASCII && $0.isNumber }) }
}

import Foundation
