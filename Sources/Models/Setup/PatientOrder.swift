/// The order patients are listed in: French (Canada) alphabetical order of last name, then first name
/// (Bélanger before Brisson, Émond before Ethier): case, accents, apostrophes and hyphens are ignored
/// first, and only break ties after; the chart number breaks the rest.
public enum PatientOrder {
    public static func key(_ name: String) -> String {
        SearchFolding.fold(name).filter { !"'\u{2019}-".contains($0) }
    }

    public static func sorted(_ patients: [Patient]) -> [Patient] {
        patients.map { (patient: $0, last: key($0.last), first: key($0.first)) }
            .sorted { a, b in
                if a.last != b.last { return a.last < b.last }
                if a.first != b.first { return a.first < b.first }
                if a.patient.last != b.patient.last { return a.patient.last < b.patient.last }
                if a.patient.first != b.patient.first { return a.patient.first < b.patient.first }
                return a.patient.chart < b.patient.chart
            }
            .map(\.patient)
    }
}
