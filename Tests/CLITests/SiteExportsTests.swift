import Foundation
import Testing

@Suite("FHIR and iCalendar exports across sites, through the real binary")
struct SiteExportsTests {
    /// Montréal (`clinicalSite()`) and Québec (admin qcadmin, its own "Bed 1", clinician qcphysio, patient
    /// QC-000001 booked there on Monday 30 November); Québec's log imported at Montréal, where jdoe then
    /// sees the same patient in Montréal's Bed 2 that afternoon.
    func quebecPatient() throws -> (mtl: SyncSite, qc: SyncSite) {
        let (montreal, _, _) = try clinicalSite()
        let mtl = SyncSite(clinic: montreal, code: "MTL", admin: "admin")
        let qc = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try qc.clinic.ok(["room", "add", "Bed 1"])
        try qc.clinic.ok(["staff", "add", "qcphysio", "--name", "Q Physio", "--discipline", "physiotherapy"])
        try qc.clinic.ok(["staff", "hours", "qcphysio", "--day", "mon", "--from", "08:00", "--to", "16:00"])
        try qc.clinic.ok(["service", "add", "qc-eval", "--name", "Évaluation", "--duration", "45m", "--discipline", "physiotherapy"])
        try qc.clinic.ok(["patient", "add", "--first", "Élise", "--last", "Gagnon", "--dob", "1979-03-04"])
        try qc.clinic.ok(["book", "--patient", "QC-000001", "--with", "qcphysio", "--service", "qc-eval", "--at", "2026-11-30 09:00", "--room", "Bed 1"])
        try trustPairwise([mtl, qc])
        try send(qc, mtl)
        try mtl.clinic.ok(["book", "--patient", "QC-000001", "--with", "jdoe", "--service", "dn-30", "--at", "2026-11-30 13:00", "--room", "Bed 2"])
        return (mtl, qc)
    }

    @Test("a Québec room in Montréal's export is part of Québec and managed by Québec's Organization")
    func fhirRoomsKeepTheirSite() throws {
        let (mtl, _) = try quebecPatient()
        let file = scratchFile(mtl.clinic, "quebec-patient.json")
        try mtl.clinic.ok(["export", "fhir", "--patient", "QC-000001", "--to", file, "--as", "jdoe"])
        let result = try runPython("validate_fhir.py", [file])
        #expect(result.status == 0, "validate_fhir.py: \(result.stderr)")
        let summary = pythonSummary(result.stdout)
        let rooms = (summary["rooms"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \($0["part_of"] ?? "") \($0["organization"] ?? "")" }
        #expect(Set(rooms) == ["Bed 1 QC QC", "Bed 2 MTL MTL"], "each room with its own site: \(rooms)")
        #expect(summary["organizations"] as? [String] == ["MTL", "QC"], "the sites of the bundle's rooms")

        let everyone = scratchFile(mtl.clinic, "all.json")
        try mtl.clinic.ok(["export", "fhir", "--all", "--to", everyone, "--as", "jdoe"])
        let all = try runPython("validate_fhir.py", [everyone])
        #expect(all.status == 0, "validate_fhir.py: \(all.stderr)")
        let allRooms = (pythonSummary(all.stdout)["rooms"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "Bed 1" }
        #expect(Set(allRooms.compactMap { $0["part_of"] as? String }) == ["MTL", "QC"], "two rooms named Bed 1, one per site")
    }

    @Test("a practitioner working at sites in two zones gets each event in its own site's zone")
    func icsInEachSitesZone() throws {
        let (mtl, van) = try twoZoneSites()
        try van.clinic.ok(["staff", "hours", "jdoe", "--day", "sat", "--from", "08:00", "--to", "16:00"])
        let there = try #require(appointments(try van.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "van-30",
                                                                 "--at", "2026-12-05 10:00", "--room", "Room A"])).first)
        try send(van, mtl)
        let here = try #require(appointments(try mtl.clinic.ok(["schedule", "--date", "2026-11-23", "--with", "jdoe"])).first)
        let file = scratchFile(mtl.clinic, "jdoe.ics")
        let exported = try mtl.clinic.ok(["export", "ics", "--with", "jdoe", "--from", "2026-11-23", "--until", "2026-12-31", "--to", file])
        #expect(exported["appointments"] as? Int == 2)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for needle in ["TZID:America/Toronto", "TZID:America/Vancouver", "DTSTART;TZID=America/Toronto:20261123T090000",
                       "DTSTART;TZID=America/Vancouver:20261205T100000", "LOCATION:Room A\\, Vancouver", "X-WR-TIMEZONE:America/Toronto"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        let expectation = scratchFile(mtl.clinic, "expected.json")
        func expected(_ appointment: [String: Any], zone: String) -> [String: Any] {
            ["id": appointment["id"] ?? "", "start": appointment["start"] ?? "", "end": appointment["end"] ?? "", "status": "booked", "zone": zone]
        }
        try writeJSON(["zones": ["America/Toronto", "America/Vancouver"], "from": "2026-11-01T00:00:00Z", "until": "2027-01-01T00:00:00Z",
                       "forbidden": ["Ana", "Silva", "Kai", "Tanaka"],
                       "appointments": [expected(here, zone: "America/Toronto"), expected(there, zone: "America/Vancouver")]], to: expectation)
        let result = try runPython("validate_ics.py", [file, expectation])
        #expect(result.status == 0, "validate_ics.py: \(result.stderr)")
        #expect(pythonSummary(result.stdout)["occurrences"] as? Int == 2)
        #expect(there["start"] as? String == "2026-12-05T18:00:00Z", "10:00 in Vancouver")
    }
}
