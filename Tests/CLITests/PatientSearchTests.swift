import Foundation
import Testing

/// Issue 27: the front desk finds a patient however the name, phone or chart is typed.
@Suite("clinic patient find: how the desk types it")
struct PatientSearchTests {
    static func charts(_ sandbox: CLISandbox, _ text: String) -> [String]? {
        let found = sandbox.runClinic(["patient", "find", text, "--json"])
        guard found.status == 0 else { return nil }
        return (jsonObject(found.stdout)?["patients"] as? [[String: Any]])?.compactMap { $0["chart"] as? String }
    }

    @Test("phone search ignores formatting", arguments: Backend.allCases, ["(514) 555-1000", "+1 514-555-1000", "514.555.1000", "5145551000", "555-1000"])
    func phoneFormatting(backend: Backend, text: String) throws {
        let sandbox = CLISandbox(backend: backend)
        try sandbox.initialise()
        #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", "Silva", "--dob", "1980-04-02", "--phone", "514-555-1000"]).status == 0)
        #expect(sandbox.runClinic(["patient", "add", "--first", "Rui", "--last", "Costa", "--dob", "1981-04-02", "--phone", "438-555-2000"]).status == 0)
        #expect(Self.charts(sandbox, text) == ["MTL-000001"])
    }

    @Test("names ignore apostrophes, hyphens, accents and case", arguments: Backend.allCases, [
        ("damours", "MTL-000001"), ("D'Amours", "MTL-000001"), ("d’amours", "MTL-000001"), ("DAMOURS", "MTL-000001"),
        ("marieeve", "MTL-000002"), ("marie eve", "MTL-000002"), ("Marie-Ève", "MTL-000002"), ("saint pierre", "MTL-000002"),
    ])
    func namePunctuation(backend: Backend, example: (text: String, chart: String)) throws {
        let (text, chart) = example
        let sandbox = CLISandbox(backend: backend)
        try sandbox.initialise()
        #expect(sandbox.runClinic(["patient", "add", "--first", "Luc", "--last", "D'Amours", "--dob", "1980-04-02"]).status == 0)
        #expect(sandbox.runClinic(["patient", "add", "--first", "Marie-Ève", "--last", "Saint-Pierre", "--dob", "1981-04-02"]).status == 0)
        #expect(Self.charts(sandbox, text) == [chart])
    }

    @Test("a short chart number finds its chart", arguments: Backend.allCases, ["MTL-1", "mtl-01", "MTL-000001"])
    func shortChart(backend: Backend, text: String) throws {
        let sandbox = CLISandbox(backend: backend)
        try sandbox.initialise()
        for (i, last) in ["Silva", "Costa", "Lima", "Souza", "Rocha", "Alves", "Pinto", "Gomes", "Reis", "Melo", "Cruz"].enumerated() {
            #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", last, "--dob", "1980-04-\(10 + i)"]).status == 0)
        }
        #expect(Self.charts(sandbox, text) == ["MTL-000001"])
    }

    @Test("results come in French (Canada) alphabetical order", arguments: Backend.allCases)
    func frenchOrder(backend: Backend) throws {
        let sandbox = CLISandbox(backend: backend)
        try sandbox.initialise()
        for (last, dob) in [("Brisson", "1980-01-01"), ("Bélanger", "1980-01-02"), ("bouchard", "1980-01-03"), ("Émond", "1980-01-04"), ("Ethier", "1980-01-05")] {
            #expect(sandbox.runClinic(["patient", "add", "--first", "Ana", "--last", last, "--dob", dob]).status == 0)
        }
        let found = sandbox.runClinic(["patient", "find", "ana", "--json"])
        let lasts = (jsonObject(found.stdout)?["patients"] as? [[String: Any]])?.compactMap { $0["last"] as? String }
        #expect(lasts == ["Bélanger", "bouchard", "Brisson", "Émond", "Ethier"])
        let limited = sandbox.runClinic(["patient", "find", "ana", "--limit", "1", "--json"])
        #expect((jsonObject(limited.stdout)?["patients"] as? [[String: Any]])?.compactMap { $0["last"] as? String } == ["Bélanger"])
    }
}
