import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show",
            abstract: "Show one patient's record (clinicians also see active precautions and consents).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }

        func run() throws {
            let session = try global.open()
            let (patient, contact, archived, clinical) = try session.acting.patientRecord(chart: chart)
            let age = patient.dateOfBirth.age(on: try session.today())
            try session.emit(ShownPatient(patient: PatientView(patient), address: contact.address,
                                          emergencyContact: contact.emergencyContact, archived: archived, clinical: clinical)) {
                """
                \(patient.chart)  \(patient.first) \(patient.last)
                Born    \(patient.dateOfBirth) (\(age) years)
                Phone   \(patient.phone ?? "—")
                E-mail  \(patient.email ?? "—")
                Address \(contact.address ?? "—")
                Emergency contact  \(contact.emergencyContact ?? "—")
                """ + (archived ? "\nArchived: no new bookings" : "") + (clinical.map { "\n" + ClinicalSummaryText.lines($0) } ?? "")
            }
        }
    }
}

/// The human lines of precautions and consents, shared by `patient show` and the warning of `note start`.
enum ClinicalSummaryText {
    /// `Precautions  pregnancy, pacemaker` then one line per consent given, and whether it was withdrawn.
    static func lines(_ summary: ClinicalSummary) -> String {
        let precautions = summary.precautions.isEmpty ? "none recorded" : summary.precautions.map(\.code).joined(separator: ", ")
        let consents = summary.consents.isEmpty ? ["Consents     none recorded"] : summary.consents.enumerated().map { index, consent in
            (index == 0 ? "Consents     " : "             ") + consent.text
        }
        return (["Precautions  \(precautions)"] + consents).joined(separator: "\n")
    }
}

extension ConsentStanding {
    /// `dry-needling given 2026-11-02 (guardian), withdrawn 2026-11-20`.
    var text: String {
        "\(intervention.rawValue) given \(given)" + (guardian ? " (guardian)" : "") + (withdrawn.map { ", withdrawn \($0)" } ?? "")
    }
}

/// One consent in JSON: `{"intervention", "given", "guardian", "withdrawn"}` (withdrawn null while it stands).
struct ConsentStandingView: Encodable {
    let intervention: String, given: String, guardian: Bool, withdrawn: String?

    init(_ consent: ConsentStanding) {
        intervention = consent.intervention.rawValue
        given = consent.given.description
        guardian = consent.guardian
        withdrawn = consent.withdrawn?.description
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(intervention, forKey: .intervention)
        try container.encode(given, forKey: .given)
        try container.encode(guardian, forKey: .guardian)
        try container.encode(withdrawn, forKey: .withdrawn)
    }

    enum CodingKeys: String, CodingKey { case intervention, given, guardian, withdrawn }
}

/// `patient show --json`: the record's fields, then address, emergency contact and whether archived;
/// for clinicians, `precautions` (codes) and `consents`.
struct ShownPatient: Encodable {
    let patient: PatientView
    let address: String?, emergencyContact: String?, archived: Bool
    let clinical: ClinicalSummary?

    enum CodingKeys: String, CodingKey { case address, emergencyContact = "emergency_contact", archived, precautions, consents }

    func encode(to encoder: any Encoder) throws {
        try patient.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(emergencyContact, forKey: .emergencyContact)
        try container.encode(archived, forKey: .archived)
        if let clinical {
            try container.encode(clinical.precautions.map(\.code), forKey: .precautions)
            try container.encode(clinical.consents.map(ConsentStandingView.init), forKey: .consents)
        }
    }
}
