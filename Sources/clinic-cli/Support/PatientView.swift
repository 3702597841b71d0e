import ArgumentParser
import Models
import Storage

/// A patient as JSON shows it.
struct PatientView: Encodable {
    let id: String, chart: String, first: String, last: String, dob: String, phone: String?, email: String?

    init(_ patient: Patient) {
        id = patient.id
        chart = patient.chart
        first = patient.first
        last = patient.last
        dob = patient.dateOfBirth.description
        phone = patient.phone
        email = patient.email
    }
}
