import Foundation
import Testing

/// Monday 2026-11-23 at clinicalSite(): jdoe and lchen work 08:00–16:00 (480 min each, the
/// clinic is open 480 min). A1 jdoe dn-30 09:00 signed (upper trapezius ×2, NPRS 7→3), completed;
/// A2 lchen acu-45 10:00 signed (LI4 ×2 + ST36 ×1, NPRS 6→5), completed; A3 jdoe 11:00 no-show;
/// A4 jdoe 12:00 cancelled late; A5 lchen acu-45 13:00 completed without a note. All in Bed 1. The clock
/// stands at 10:45 that day.
private func reportSite() throws -> ClinicProcess {
    let (site, physio, acupuncture) = try clinicalSite()
    var clinic = site
    clinic.now = "2026-11-23T15:45:00Z" // 10:45, during A2: both sessions have started and may be signed
    try clinic.ok(["patient", "add", "--first", "Bo", "--last", "Li", "--dob", "1990-01-01"])
    try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "dry-needling", "--risks", "bruising", "--as", "jdoe"])
    try clinic.ok(["consent", "record", "MTL-000001", "--intervention", "acupuncture", "--risks", "bruising", "--as", "lchen"])
    let dn = try #require(try clinic.ok(["note", "start", physio, "--as", "jdoe"])["id"] as? String)
    try clinic.ok(["note", "needle", dn, "--muscle", "upper trapezius", "--side", "bilateral", "--count", "2", "--as", "jdoe"])
    try clinic.ok(["note", "edit", dn, "--pain-before", "7", "--pain-after", "3", "--as", "jdoe"])
    try clinic.ok(["note", "needles-removed", dn, "--count", "2", "--as", "jdoe"])
    try clinic.ok(["note", "sign", dn, "--as", "jdoe"])
    let acu = try #require(try clinic.ok(["note", "start", acupuncture, "--as", "lchen"])["id"] as? String)
    try clinic.ok(["note", "needle", acu, "--point", "LI4", "--side", "bilateral", "--count", "2", "--as", "lchen"])
    try clinic.ok(["note", "needle", acu, "--point", "ST36", "--side", "left", "--as", "lchen"])
    try clinic.ok(["note", "edit", acu, "--pain-before", "6", "--pain-after", "5", "--as", "lchen"])
    try clinic.ok(["note", "needles-removed", acu, "--count", "3", "--as", "lchen"])
    try clinic.ok(["note", "sign", acu, "--as", "lchen"])
    try clinic.ok(["complete", physio])
    try clinic.ok(["complete", acupuncture])
    func book(_ handle: String, _ service: String, _ time: String) throws -> String {
        try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000002", "--with", handle, "--service", service,
                                                 "--at", "2026-11-23 \(time)"])).first?["id"] as? String)
    }
    try clinic.ok(["noshow", try book("jdoe", "dn-30", "11:00")])
    try clinic.ok(["cancel", try book("jdoe", "dn-30", "12:00")])
    try clinic.ok(["complete", try book("lchen", "acu-45", "13:00")])
    return clinic
}

private let week = ["--from", "2026-11-23", "--until", "2026-11-29"]

private func rows(_ json: [String: Any], _ key: String) -> [String: [String: Any]] {
    Dictionary((json[key] as? [[String: Any]] ?? []).compactMap { row in (row["name"] ?? row["modality"]).flatMap { $0 as? String }.map { ($0, row) } },
               uniquingKeysWith: { first, _ in first })
}

@Suite("Reports through the real binary, against hand-computed numbers")
struct InteropReportTests {
    @Test("utilization, no-shows, modalities and outcomes as JSON")
    func json() throws {
        let clinic = try reportSite()
        let utilization = try clinic.ok(["report", "utilization"] + week)
        let people = rows(utilization, "practitioners"), rooms = rows(utilization, "rooms")
        #expect(people["jdoe"]?["booked_minutes"] as? Int == 60 && people["jdoe"]?["available_minutes"] as? Int == 480)
        #expect(people["jdoe"]?["ratio"] as? Double == 0.125)
        #expect(people["lchen"]?["booked_minutes"] as? Int == 90 && people["lchen"]?["ratio"] as? Double == 0.1875)
        #expect(rooms["Bed 1"]?["booked_minutes"] as? Int == 150 && rooms["Bed 1"]?["ratio"] as? Double == 0.3125)
        #expect(rooms["Bed 2"]?["booked_minutes"] as? Int == 0)

        let noShows = rows(try clinic.ok(["report", "noshows"] + week), "practitioners")
        #expect(noShows["jdoe"]?["appointments"] as? Int == 3 && noShows["jdoe"]?["no_shows"] as? Int == 1 && noShows["jdoe"]?["late_cancels"] as? Int == 1)
        #expect(noShows["jdoe"]?["no_show_rate"] as? Double == 0.5)
        #expect(noShows["total"]?["appointments"] as? Int == 5 && noShows["total"]?["no_show_rate"] as? Double == 0.25)
        #expect(noShows["total"]?["late_cancel_rate"] as? Double == 0.2)

        let modalities = rows(try clinic.ok(["report", "modalities", "--as", "jdoe"] + week), "modalities")
        #expect(modalities["dry-needling"]?["sessions"] as? Int == 1 && modalities["dry-needling"]?["needles_per_session"] as? Double == 2)
        #expect(modalities["acupuncture"]?["sessions"] as? Int == 1 && modalities["acupuncture"]?["needles_per_session"] as? Double == 3)
        #expect(modalities["other"]?["sessions"] as? Int == 1 && modalities["mixed"]?["sessions"] as? Int == 0)

        let outcomes = rows(try clinic.ok(["report", "outcomes", "--as", "lchen"] + week), "outcomes")
        #expect(outcomes["dry-needling"]?["mean_nprs_change"] as? Double == 4 && outcomes["dry-needling"]?["share_reaching_mcid"] as? Double == 1)
        #expect(outcomes["acupuncture"]?["mean_nprs_change"] as? Double == 1 && outcomes["acupuncture"]?["share_reaching_mcid"] as? Double == 0)
        let audit = try clinic.ok(["audit", "--as", "admin"])
        #expect((audit["entries"] as? [[String: Any]] ?? []).contains { $0["action"] as? String == "report-outcomes" })
    }

    @Test("CSV has one header row and the same numbers; the human report draws bars")
    func csvAndBars() throws {
        let clinic = try reportSite()
        let csv = try clinic.run(["report", "utilization", "--csv"] + week)
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "kind,name,booked_minutes,available_minutes,ratio")
        #expect(lines.contains("practitioner,jdoe,60,480,0.1250"))
        #expect(lines.contains("room,Bed 1,150,480,0.3125"))
        let outcomesCSV = try clinic.run(["report", "outcomes", "--csv", "--as", "jdoe"] + week)
        #expect(outcomesCSV.stdout.contains("dry-needling,1,4.0000,1,1,1.0000"))
        let human = try clinic.run(["report", "utilization"] + week)
        #expect(human.status == 0 && human.stdout.contains("█") && human.stdout.contains("31.3%"))
        let bars = try clinic.run(["report", "noshows"] + week)
        #expect(bars.stdout.contains("No-shows") && bars.stdout.contains("█"))
    }

    @Test("refusals: clinical reports need a clinician; no actor; bad ranges; --csv with --json", arguments: [
        (["report", "outcomes", "--as", "desk"], Int32(1), "forbidden"),
        (["report", "modalities", "--as", "admin"], 1, "forbidden"),
        (["report", "modalities", "--as", ""], 64, "actor-required"),
        (["report", "utilization", "--from", "2026-11-30", "--until", "2026-11-23"], 64, "invalid-range"),
        (["report", "utilization", "--from", "2026-02-30"], 64, "invalid-date"),
        (["report", "noshows", "--csv"], 64, "usage"),
    ])
    func refusals(arguments: [String], status: Int32, code: String) throws {
        let (clinic, _, _) = try clinicalSite()
        let result = try clinic.run(arguments + ["--json"])
        #expect(result.status == status && result.errorCode == code, "\(arguments): \(result.stderr)")
    }
}
