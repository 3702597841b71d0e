import ArgumentParser
import Models
import Storage

/// `clinic patient`: registration and look-up at the front desk.
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Register, find and show patients.", subcommands: [Add.self, Find.self, Show.self, PrecautionCommand.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register a patient; prints the new chart number.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "First name(s).") var first: String
        @Option(help: "Last name(s).") var last: String
        @Option(help: "Date of birth, YYYY-MM-DD.") var dob: String
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "E-mail address.") var email: String?
        @Flag(help: "Register even though a chart has the same name and date of birth (two people who share them).")
        var allowDuplicate = false

        func run() throws {
            let birth = try CivilDate.parse(dob, field: .dateOfBirth)
            let session = try global.open()
            let patient = try session.acting.addPatient(.init(first: first, last: last, dateOfBirth: birth, phone: phone, email: email),
                                                        allowingDuplicate: allowDuplicate, today: try session.today())
            try session.emit(PatientView(patient)) { "Registered \(patient.chart)" }
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "find", abstract: "Find patients by name, chart number or phone; case and accents ignored.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Text to look for, e.g. Helene or MTL-000042.") var text: String
        @Option(help: "Most patients to list.") var limit = 50

        func run() throws {
            let session = try global.open()
            let patients = try session.acting.findPatients(text, limit: max(1, limit))
            try session.emit(["patients": patients.map(PatientView.init)]) {
                guard !patients.isEmpty else { return "No patient matches." }
                var table = TextTable("CHART", "NAME", "BORN", "PHONE")
                for p in patients { table.add(p.chart, "\(p.last), \(p.first)", p.dateOfBirth.description, p.phone ?? "") }
                return table.render()
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one patient's record.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Chart number, e.g. MTL-000042.") var chart: String

        func run() throws {
            let session = try global.open()
            let patient = try session.acting.patient(chart: chart)
            let age = patient.dateOfBirth.age(on: try session.today())
            try session.emit(PatientView(patient)) {
                """
                \(patient.chart)  \(patient.first) \(patient.last)
                Born    \(patient.dateOfBirth) (\(age) years)
                Phone   \(patient.phone ?? "—")
                E-mail  \(patient.email ?? "—")
                """
            }
        }
    }
}

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
