import Foundation
import Testing

/// Montréal (America/Toronto, `schedulingSite()`: admin, jdoe, mroy, desk, Bed 1 and Bed 2) and
/// Vancouver (America/Vancouver, admin `vanadmin`, its own "Bed 1" and "Room A", clinician kwong, service
/// van-30, patient VAN-000001), each booking at home before they meet, then logs exchanged both ways.
/// In the week of 2026-11-23: at MTL jdoe Mon 09:00 and mroy Tue 10:00 in Bed 1 (physio-30); at VAN kwong
/// Mon 09:00 and Sun 22:00 Vancouver time (Mon 01:00 in Toronto) in its Bed 1 (van-30). Every booking is 30 min.
func twoZoneSites() throws -> (mtl: SyncSite, van: SyncSite) {
    let mtl = SyncSite(clinic: try schedulingSite(), code: "MTL", admin: "admin")
    try mtl.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-11-23 09:00", "--room", "Bed 1"])
    try mtl.clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-11-24 10:00", "--room", "Bed 1"])

    let vancouver = ClinicProcess(actor: "vanadmin")
    try vancouver.ok(["init", "--site-code", "VAN", "--site-name", "Vancouver", "--timezone", "America/Vancouver", "--admin", "vanadmin",
                      "--test-clock"])
    let van = SyncSite(clinic: vancouver, code: "VAN", admin: "vanadmin")
    try van.clinic.ok(["room", "add", "Bed 1"])
    try van.clinic.ok(["room", "add", "Room A"])
    try van.clinic.ok(["staff", "add", "kwong", "--name", "Kim Wong", "--discipline", "physiotherapy"])
    for day in ["mon", "sun"] {
        try van.clinic.ok(["staff", "hours", "kwong", "--day", day, "--from", "08:00", "--to", "23:00"])
    }
    try van.clinic.ok(["service", "add", "van-30", "--name", "Physio Vancouver", "--duration", "30m", "--discipline", "physiotherapy"])
    try van.clinic.ok(["patient", "add", "--first", "Kai", "--last", "Tanaka", "--dob", "1985-06-07"])
    for time in ["2026-11-23 09:00", "2026-11-29 22:00"] {
        try van.clinic.ok(["book", "--patient", "VAN-000001", "--with", "kwong", "--service", "van-30", "--at", time, "--room", "Bed 1"])
    }
    try trustPairwise([mtl, van])
    try send(mtl, van)
    try send(van, mtl)
    return (mtl, van)
}

/// Rows of a report's JSON list keyed "SITE name".
private func siteRows(_ json: [String: Any], _ key: String) -> [String: [String: Any]] {
    Dictionary((json[key] as? [[String: Any]] ?? []).compactMap { row -> (String, [String: Any])? in
        guard let site = row["site"] as? String, let name = (row["name"] ?? row["modality"]) as? String else { return nil }
        return ("\(site) \(name)", row)
    }, uniquingKeysWith: { first, _ in first })
}

private let week = ["--from", "2026-11-23", "--until", "2026-11-29"]

@Suite("Reports per site through the real binary")
struct SiteReportsTests {
    @Test("a report covers this site by default, another with --site, every site apart with --all-sites")
    func utilizationPerSite() throws {
        let (mtl, _) = try twoZoneSites()
        let here = try mtl.clinic.ok(["report", "utilization"] + week)
        #expect(here["sites"] as? [String] == ["MTL"])
        let rooms = siteRows(here, "rooms")
        #expect(Set(rooms.keys) == ["MTL Bed 1", "MTL Bed 2"], "only Montréal's rooms: \(rooms.keys)")
        #expect(rooms["MTL Bed 1"]?["booked_minutes"] as? Int == 60, "Vancouver's Bed 1 is not Montréal's")
        #expect(siteRows(here, "practitioners")["MTL jdoe"]?["booked_minutes"] as? Int == 30)
        #expect(siteRows(here, "practitioners")["MTL kwong"]?["booked_minutes"] as? Int ?? 0 == 0, "kwong books nothing in Montréal")

        let there = try mtl.clinic.ok(["report", "utilization", "--site", "VAN"] + week)
        #expect(there["sites"] as? [String] == ["VAN"])
        #expect(Set(siteRows(there, "rooms").keys) == ["VAN Bed 1", "VAN Room A"])
        #expect(siteRows(there, "rooms")["VAN Bed 1"]?["booked_minutes"] as? Int == 60, "Sunday 22:00 in Vancouver is in Vancouver's week")
        #expect(siteRows(there, "practitioners")["VAN kwong"]?["booked_minutes"] as? Int == 60)

        let everywhere = try mtl.clinic.ok(["report", "utilization", "--all-sites"] + week)
        #expect(everywhere["sites"] as? [String] == ["MTL", "VAN"])
        let all = siteRows(everywhere, "rooms")
        #expect(Set(all.keys) == ["MTL Bed 1", "MTL Bed 2", "VAN Bed 1", "VAN Room A"])
        #expect(all["MTL Bed 1"]?["booked_minutes"] as? Int == 60 && all["VAN Bed 1"]?["booked_minutes"] as? Int == 60)

        let csv = try mtl.clinic.run(["report", "utilization", "--all-sites", "--csv"] + week)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "site,kind,name,booked_minutes,available_minutes,ratio")
        #expect(lines.contains { $0.hasPrefix("MTL,room,Bed 1,60,") } && lines.contains { $0.hasPrefix("VAN,room,Bed 1,60,") }, "\(lines)")
        let single = try mtl.clinic.run(["report", "utilization", "--csv"] + week)
        #expect(single.stdout.hasPrefix("kind,name,booked_minutes,available_minutes,ratio\n"), "one site's CSV keeps its columns")

        let human = try mtl.clinic.run(["report", "utilization", "--all-sites"] + week)
        #expect(human.status == 0 && human.stdout.contains("MTL Bed 1") && human.stdout.contains("VAN Bed 1") && human.stdout.contains("all sites"))
        #expect(try mtl.clinic.run(["report", "utilization"] + week).stdout.contains("Utilization · MTL · 2026-11-23 – 2026-11-29"))
    }

    @Test("--from and --until are days in the chosen site's zone")
    func dayBoundariesInTheSitesZone() throws {
        let (mtl, van) = try twoZoneSites()
        let sunday = ["--from", "2026-11-29", "--until", "2026-11-29"]
        let there = siteRows(try mtl.clinic.ok(["report", "noshows", "--site", "VAN"] + sunday), "practitioners")
        #expect(there["VAN total"]?["appointments"] as? Int == 1, "22:00 on Sunday in Vancouver is 01:00 on Monday in Toronto: \(there)")
        let monday = siteRows(try mtl.clinic.ok(["report", "noshows", "--site", "VAN", "--from", "2026-11-30", "--until", "2026-11-30"]), "practitioners")
        #expect(monday["VAN total"]?["appointments"] as? Int == 0)
        let atVancouver = siteRows(try van.clinic.ok(["report", "noshows"] + sunday), "practitioners")
        #expect(atVancouver["VAN total"]?["appointments"] as? Int == 1, "the same at Vancouver itself")
    }

    @Test("no-shows, modalities and outcomes carry each row's site; each site has its own total")
    func otherReports() throws {
        let (mtl, _) = try twoZoneSites()
        let noShows = try mtl.clinic.ok(["report", "noshows", "--all-sites"] + week)
        let rows = siteRows(noShows, "practitioners")
        #expect(rows["MTL total"]?["appointments"] as? Int == 2 && rows["VAN total"]?["appointments"] as? Int == 2, "\(rows.keys)")
        #expect(rows["VAN kwong"]?["appointments"] as? Int == 2 && rows["MTL kwong"]?["appointments"] as? Int ?? 0 == 0)
        let table = try mtl.clinic.run(["report", "noshows", "--all-sites"] + week)
        #expect(table.stdout.contains("SITE") && table.stdout.contains("VAN"))

        let schedule = appointments(try mtl.clinic.ok(["schedule", "--date", "2026-11-23", "--with", "jdoe"]))
        let visit = try #require(schedule.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String)
        try mtl.clinic.ok(["complete", visit])
        let here = siteRows(try mtl.clinic.ok(["report", "modalities", "--as", "jdoe"] + week), "modalities")
        #expect(here["MTL other"]?["sessions"] as? Int == 1)
        let modalities = try mtl.clinic.ok(["report", "modalities", "--all-sites", "--as", "jdoe"] + week)
        #expect(modalities["sites"] as? [String] == ["MTL", "VAN"])
        #expect(siteRows(modalities, "modalities")["VAN other"]?["sessions"] as? Int == 0)
        let csv = try mtl.clinic.run(["report", "outcomes", "--site", "VAN", "--csv", "--as", "jdoe"] + week)
        #expect(csv.status == 0 && csv.stdout.hasPrefix("modality,scored_sessions,"), "\(csv.stderr)")
        let outcomes = try mtl.clinic.ok(["report", "outcomes", "--all-sites", "--as", "jdoe"] + week)
        #expect(Set((outcomes["outcomes"] as? [[String: Any]] ?? []).compactMap { $0["site"] as? String }) == ["MTL", "VAN"])
    }

    @Test("an unknown site is not found; --site with --all-sites is a usage error; a refusal is audited")
    func refusals() throws {
        let clinic = try schedulingSite()
        let unknown = try clinic.run(["report", "utilization", "--site", "XYZ", "--json"])
        #expect(unknown.status == 1 && unknown.errorCode == "not-found", "\(unknown.stderr)")
        let both = try clinic.run(["report", "noshows", "--site", "MTL", "--all-sites", "--json"])
        #expect(both.status == 64 && both.errorCode == "usage", "\(both.stderr)")
        let audit = try clinic.ok(["audit", "--as", "admin"])
        #expect((audit["entries"] as? [[String: Any]] ?? []).contains {
            $0["action"] as? String == "report-utilization" && $0["outcome"] as? String == "not-found"
        })
        let named = try clinic.ok(["report", "utilization", "--site", "mtl"] + week)
        #expect(named["sites"] as? [String] == ["MTL"], "a site code in any case")
    }
}
