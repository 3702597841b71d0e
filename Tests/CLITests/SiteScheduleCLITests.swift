import Foundation
import Testing

/// A site in another zone than Montréal's, with a room of its own (room names differ from Montréal's).
func vancouverSite() throws -> SyncSite {
    var clinic = ClinicProcess()
    clinic.actor = "vanadmin"
    try clinic.ok(["init", "--site-code", "VAN", "--site-name", "Vancouver", "--timezone", "America/Vancouver", "--admin", "vanadmin",
                   "--test-clock"])
    try clinic.ok(["room", "add", "Pacific"])
    return SyncSite(clinic: clinic, code: "VAN", admin: "vanadmin")
}

/// The lines of a human output that mention `text`.
private func lines(of output: String, containing text: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { $0.contains(text) }
}

@Suite("Every time in its site's zone; the schedule per site, overlaps side by side")
struct SiteScheduleCLITests {
    /// MTL (with data) and QC trust each other and have exchanged logs once; QC has a room of its own.
    private func montrealAndQuebec() throws -> (mtl: SyncSite, qc: SyncSite) {
        let mtl = try montrealSite()
        let qc = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try qc.clinic.ok(["room", "add", "Salle Q"])
        try trustPairwise([mtl, qc])
        try exchangeAll([mtl, qc])
        return (mtl, qc)
    }

    @Test("an offline double booking of one practitioner shows both bookings, side by side and marked, at either site")
    func overlapsSideBySide() throws {
        let (mtl, qc) = try montrealAndQuebec()
        // Offline: Montréal and Québec both book jdoe at Montréal at 10:00.
        let here = appointments(try mtl.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                  "--at", "2026-12-03 10:00", "--room", "Bed 1"]))
        let there = appointments(try qc.clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30",
                                                  "--at", "2026-12-03 10:00", "--room", "Bed 2", "--site", "MTL"]))
        #expect(there.first?["site"] as? String == "MTL", "Bed 2 is Montréal's: \(there)")
        try exchangeAll([mtl, qc])
        let ids = Set([here, there].compactMap { $0.first?["id"] as? String })
        #expect(ids.count == 2)

        for (site, extra) in [(mtl, [String]()), (qc, ["--site", "MTL"])] {
            let grid = try site.clinic.run(["schedule", "--date", "2026-12-03"] + extra, environment: ["COLUMNS": ""])
            #expect(grid.status == 0, "\(site.code): \(grid.stderr)")
            #expect(grid.stdout.contains("MTL-000001 physio-30") && grid.stdout.contains("MTL-000002 physio-30"), "at \(site.code):\n\(grid.stdout)")
            // Side by side: both bookings start on the 10:00 row, each marked as an overlap, and a legend says what the mark means.
            let row = lines(of: grid.stdout, containing: "10:00")
            #expect(row.count == 1 && row.allSatisfy { $0.contains("MTL-000001") && $0.contains("MTL-000002") }, "at \(site.code):\n\(grid.stdout)")
            #expect(row.first?.components(separatedBy: "!").count == 3, "both marked at \(site.code): \(row)")
            #expect(grid.stdout.contains("! overlap"), "legend at \(site.code):\n\(grid.stdout)")

            let json = appointments(try site.clinic.ok(["schedule", "--date", "2026-12-03"] + extra))
            let listed = json.filter { ids.contains($0["id"] as? String ?? "") }
            #expect(listed.count == 2, "at \(site.code): \(json)")
            #expect(listed.allSatisfy { $0["overlap"] as? Bool == true && $0["site"] as? String == "MTL" }, "at \(site.code): \(listed)")

            let csv = try site.clinic.run(["schedule", "--date", "2026-12-03", "--csv"] + extra)
            #expect(csv.status == 0, "\(csv.stderr)")
            let rows = csv.stdout.split(separator: "\n").map(String.init)
            #expect(rows.first?.contains("overlap") == true, "\(rows)")
            #expect(rows.filter { $0.contains("2026-12-03 10:00") && $0.hasSuffix(",true") }.count == 2, "\(csv.stdout)")
        }
        // Québec's own schedule holds only Québec's rooms: nothing is booked there.
        let own = try qc.clinic.ok(["schedule", "--date", "2026-12-03"])
        #expect(appointments(own).isEmpty, "\(own)")
    }

    @Test("a booking at another site reads in that site's zone, labelled; JSON keeps the instant and adds local times and the site")
    func timesInTheirSitesZone() throws {
        let mtl = try montrealSite()
        let qc = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try qc.clinic.ok(["room", "add", "Salle Q"])
        let van = try vancouverSite()
        try trustPairwise([mtl, qc, van])
        try exchangeAll([mtl, qc, van])
        // Québec and Vancouver each have a clinician of their own and offer the service.
        for (site, handle) in [(qc, "qdoc"), (van, "vdoc")] {
            try site.clinic.ok(["staff", "add", handle, "--name", "Doc \(site.code)", "--discipline", "physiotherapy"])
            try site.clinic.ok(["staff", "hours", handle, "--day", "tue", "--from", "08:00", "--until", "16:00"])
            try site.clinic.ok(["service", "offer", "physio-30", "--site", site.code])
        }
        // Montréal at 10:00 (EST), Québec at 11:00 (same zone as Montréal), Vancouver at 09:00 (PST).
        try mtl.clinic.ok(["book", "--patient", "MTL-000001", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 10:00"])
        try qc.clinic.ok(["book", "--patient", "MTL-000003", "--with", "qdoc", "--service", "physio-30", "--at", "2026-12-01 11:00",
                          "--room", "Salle Q"])
        try van.clinic.ok(["book", "--patient", "MTL-000002", "--with", "vdoc", "--service", "physio-30", "--at", "2026-12-01 09:00",
                           "--room", "Pacific"])
        try exchangeAll([mtl, qc, van])

        // At Vancouver, Montréal's schedule: the day and its rows in Montréal's zone, labelled.
        let grid = try van.clinic.run(["schedule", "--site", "MTL", "--date", "2026-12-01"], environment: ["COLUMNS": ""])
        #expect(grid.status == 0, "\(grid.stderr)")
        #expect(lines(of: grid.stdout, containing: "10:00 EST (MTL)").contains { $0.contains("MTL-000001 physio-30") }, "\(grid.stdout)")
        let json = appointments(try van.clinic.ok(["schedule", "--site", "MTL", "--date", "2026-12-01"]))
        #expect(json.count == 3 && json.allSatisfy { $0["site"] as? String == "MTL" }, "only Montréal's bookings: \(json)")
        let ten = try #require(json.first { $0["patient"] as? String == "MTL-000001" && $0["practitioner"] as? String == "mroy" })
        #expect(ten["start"] as? String == "2026-12-01T15:00:00Z")
        #expect(ten["end"] as? String == "2026-12-01T15:30:00Z")
        #expect(ten["local_start"] as? String == "2026-12-01 10:00")
        #expect(ten["local_end"] as? String == "2026-12-01 10:30")
        #expect(ten["site"] as? String == "MTL")

        // Vancouver's own schedule: its own booking at 09:00 local, no label; nobody else's.
        let own = try van.clinic.run(["schedule", "--date", "2026-12-01"], environment: ["COLUMNS": ""])
        #expect(lines(of: own.stdout, containing: "09:00").contains { $0.contains("MTL-000002 physio-30") && !$0.contains("(") }, "\(own.stdout)")
        #expect(!own.stdout.contains("MTL-000001"), "\(own.stdout)")
        #expect(try van.clinic.run(["schedule", "--site", "NOPE", "--json"]).errorCode == "not-found")

        // A patient's appointments: Montréal's and Vancouver's at 09:00 each, only Montréal's labelled.
        let patient2 = try van.clinic.run(["appointments", "--patient", "MTL-000002"])
        #expect(patient2.status == 0, "\(patient2.stderr)")
        #expect(lines(of: patient2.stdout, containing: "2026-12-01 09:00 EST (MTL)").count == 1, "\(patient2.stdout)")
        #expect(lines(of: patient2.stdout, containing: "2026-12-01 09:00").filter { !$0.contains("(") }.count == 1, "\(patient2.stdout)")
        let listed = appointments(try van.clinic.ok(["appointments", "--patient", "MTL-000002"]))
        #expect(Set(listed.compactMap { $0["site"] as? String }) == ["MTL", "VAN"], "\(listed)")
        #expect(listed.allSatisfy { $0["local_start"] as? String == "2026-12-01 09:00" }, "\(listed)")

        // At Montréal: Québec's booking in the same zone shows its code without an abbreviation; Montréal's own is bare.
        let patient3 = try mtl.clinic.run(["appointments", "--patient", "MTL-000003"])
        #expect(lines(of: patient3.stdout, containing: "2026-12-01 11:00 (QC)").count == 1, "\(patient3.stdout)")
        #expect(!patient3.stdout.contains("EST"), "\(patient3.stdout)")
        #expect(lines(of: patient3.stdout, containing: "2026-12-02 11:00").allSatisfy { !$0.contains("(") }, "\(patient3.stdout)")
        let vancouverAtMontreal = try mtl.clinic.run(["appointments", "--patient", "MTL-000002"])
        #expect(vancouverAtMontreal.stdout.contains("2026-12-01 09:00 PST (VAN)"), "\(vancouverAtMontreal.stdout)")
    }

    @Test("the schedule grid fits COLUMNS, and is not cut when piped without it")
    func gridFitsTheWidth() throws {
        let clinic = try schedulingSite()
        try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00"])
        try clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:00"])
        let wide = try clinic.run(["schedule", "--date", "2026-12-01"], environment: ["COLUMNS": ""])
        let widest = wide.stdout.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest > 50, "\(wide.stdout)")
        for columns in [40, 30] {
            let narrow = try clinic.run(["schedule", "--date", "2026-12-01"], environment: ["COLUMNS": String(columns)])
            #expect(narrow.status == 0)
            #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= columns }, "COLUMNS=\(columns):\n\(narrow.stdout)")
            #expect(narrow.stdout.contains("MTL-000001") && narrow.stdout.contains("MTL-000002"), "COLUMNS=\(columns):\n\(narrow.stdout)")
        }
    }

    @Test("note show gives the session's, the signature's and the amendment's times in the session site's zone, labelled at another site")
    func noteTimes() throws {
        var mtl = try montrealSite()
        var van = try vancouverSite()
        try trustPairwise([mtl, van])
        // jdoe's 11:00 session on 2026-12-02 (16:00Z), signed and amended at 12:00 Montréal time.
        mtl.clinic.now = "2026-12-02T17:00:00Z"
        van.clinic.now = mtl.clinic.now
        let day = appointments(try mtl.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String)
        let note = try #require(try mtl.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try mtl.clinic.ok(["note", "edit", note, "--subjective", "Neck pain after desk work", "--as", "jdoe"])
        try mtl.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try mtl.clinic.ok(["note", "amend", note, "--text", "Phoned next day: settled", "--as", "jdoe"])

        let here = try mtl.clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(here.status == 0, "\(here.stderr)")
        #expect(here.stdout.contains("2026-12-02 11:00 · by jdoe"), "\(here.stdout)")
        #expect(here.stdout.contains("Signed by jdoe at 2026-12-02 12:00 with key"), "\(here.stdout)")
        #expect(here.stdout.contains("Amendment 2026-12-02 12:00 by jdoe"), "amendment in the site's zone, not UTC:\n\(here.stdout)")
        #expect(!here.stdout.contains("T17:00") && !here.stdout.contains("(MTL)"), "\(here.stdout)")
        let json = try mtl.clinic.ok(["note", "show", note, "--as", "jdoe"])
        #expect(json["session_start"] as? String == "2026-12-02T16:00:00Z")
        #expect(json["local_start"] as? String == "2026-12-02 11:00" && json["site"] as? String == "MTL", "\(json)")

        try send(mtl, van)
        try van.clinic.ok(["whoami", "--as", "jdoe"])  // jdoe's first command at Vancouver: the harness gives them a passphrase there
        let there = try van.clinic.run(["note", "show", note, "--as", "jdoe"])
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("2026-12-02 11:00 EST (MTL) · by jdoe"), "\(there.stdout)")
        #expect(there.stdout.contains("Signed by jdoe at 2026-12-02 12:00 EST (MTL)"), "\(there.stdout)")
        #expect(there.stdout.contains("Amendment 2026-12-02 12:00 EST (MTL) by jdoe"), "\(there.stdout)")
    }

    @Test("sync status and sync trust --list show this site's wall-clock times and no raw clock values")
    func syncTimes() throws {
        let mtl = try montrealSite()
        let van = try vancouverSite()
        try trustPairwise([mtl, van])
        try send(mtl, van)
        let status = try van.clinic.ok(["sync", "status"])
        let clock = try #require(status["hlc"] as? String)
        let human = try van.clinic.run(["sync", "status"])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(!human.stdout.contains(clock), "no raw clock value:\n\(human.stdout)")
        // 14:00Z is 06:00 in Vancouver.
        #expect(lines(of: human.stdout, containing: "MTL").contains { $0.contains("2026-11-23 06:00") }, "\(human.stdout)")
        #expect(!human.stdout.contains("T14:00"), "\(human.stdout)")
        let trusted = try van.clinic.run(["sync", "trust", "--list"])
        #expect(lines(of: trusted.stdout, containing: "MTL").contains { $0.contains("2026-11-23 06:00") }, "\(trusted.stdout)")
        #expect(!trusted.stdout.contains("T14:00"), "\(trusted.stdout)")
        let audit = try van.clinic.run(["audit", "--limit", "3"])
        #expect(audit.stdout.contains("2026-11-23 06:00") && !audit.stdout.contains("T14:00"), "\(audit.stdout)")
    }
}
