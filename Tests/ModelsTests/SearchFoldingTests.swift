import Models
import Testing

@Suite("Search folding")
struct SearchFoldingTests {
    @Test("drops accents and case", arguments: [
        ("Hélène", "helene"), ("Müller", "muller"), ("Côté", "cote"), ("HÉLÈNE", "helene"), ("Nguyễn", "nguyen"),
        ("Gonçalves", "goncalves"), ("Muñoz", "munoz"), ("Østergård", "ostergard"), ("Łukasz", "lukasz"),
        ("Straße", "strasse"), ("D'Amours", "d'amours"), ("MTL-000042", "mtl-000042"),
    ])
    func fold(text: String, folded: String) {
        #expect(SearchFolding.fold(text) == folded)
    }

    @Test("precomposed and decomposed spellings fold alike")
    func normalisation() {
        #expect(SearchFolding.fold("He\u{0301}le\u{0300}ne") == SearchFolding.fold("H\u{00E9}l\u{00E8}ne"))
    }

    @Test("a patient's search text holds names, chart and phone digits, folded")
    func patientSearchText() {
        let patient = Patient(id: "x", chart: "MTL-000042", first: "Hélène", last: "Côté",
                              dateOfBirth: date("1980-04-02"), phone: "(514) 555-0142", email: nil)
        let text = patient.searchText
        for needle in ["helene", "cote", "mtl-000042", "5145550142"] {
            #expect(text.contains(needle))
        }
        #expect(!text.contains("é"))
    }
}
