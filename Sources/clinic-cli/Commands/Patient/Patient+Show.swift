import ArgumentParser
import Models
import Storage

extension PatientCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one patient's record.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var chartInput: ChartArgument
        var chart: String { chartInput.value }

        func run() throws {
            let session = try global.open()
            let (patient, contact, archived) = try session.acting.patientRecord(chart: chart)
            let age = patient.dateOfBirth.age(on: try session.today())
            try session.emit(ShownPatient(patient: PatientView(patient), address: contact.address,
                                          emergencyContact: contact.emergencyContact, archived: archived)) {
                """
                \(patient.chart)  \(patient.first) \(patient.last)
                Born    \(patient.dateOfBirth) (\(age) years)
                Phone   \(patient.phone ?? "—")
                E-mail  \(patient.email ?? "—")
                Address \(contact.address ?? "—")
                Emergency contact  \(contact.emergencyContact ?? "—")
                """ + (archived ? "\nArchived: no new bookings" : "")
            }
        }
    }
}

/// `patient show --json`: the record's fields, then address, emergency contact and whether archived.
struct ShownPatient: Encodable {
    let patient: PatientView
    let address: String?, emergencyContact: String?, archived: Bool

    enum CodingKeys: String, CodingKey { case address, emergencyContact = "emergency_contact", archived }

    func encode(to encoder: any Encoder) throws {
        try patient.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(emergencyContact, forKey: .emergencyContact)
        try container.encode(archived, forKey: .archived)
    }
}
