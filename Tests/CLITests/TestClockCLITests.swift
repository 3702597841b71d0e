import Foundation
import Testing

/// `CLINIC_NOW` 72 years from the machine's clock, so which clock a command used shows in what it decides.
private let farFuture = "2099-01-05T14:00:00Z"

/// A site made by `init` (with `--test-clock` when asked) under `CLINIC_NOW` = `farFuture`, with a
/// physiotherapist working every day, a plain physio service and patient MTL-000001. Returns the
/// process and what `init --json` printed.
private func clockSite(testClock: Bool) throws -> (ClinicProcess, initialised: ClinicProcess.Result) {
    var clinic = ClinicProcess()
    clinic.now = farFuture
    let initialised = try clinic.run(["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--json"]
                                     + (testClock ? ["--test-clock"] : []))
    try #require(initialised.status == 0, "init: \(initialised.stderr)")
    try clinic.ok(["room", "add", "Bed 1"])
    try clinic.ok(["staff", "add", "jdoe", "--name", "Jane Doe", "--discipline", "physiotherapy"])
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        try clinic.ok(["staff", "hours", "jdoe", "--day", day, "--from", "08:00", "--to", "16:00"])
    }
    try clinic.ok(["service", "add", "physio-30", "--name", "Physio", "--duration", "30m", "--discipline", "physiotherapy"])
    try clinic.ok(["patient", "add", "--first", "Zéphyrin", "--last", "Quasimodo", "--dob", "1980-04-02"])
    return (clinic, initialised)
}

/// The `clock` finding of `doctor --json`.
private func clockFinding(_ clinic: ClinicProcess) throws -> [String: Any]? {
    let doctor = try clinic.run(["doctor", "--as", "admin", "--json"])
    return (doctor.json["findings"] as? [[String: Any]] ?? []).first { $0["code"] as? String == "clock" }
}

/// What the clock decided for a session on 2098-12-29, a week before `CLINIC_NOW` and decades after the
/// machine's clock: whether `book` called it a back-entry, whether its cancel was late, and how `note sign` of
/// a second one ended.
private func decisions(_ clinic: ClinicProcess) throws -> (pastBooking: Bool, lateCancel: Bool?, sign: ClinicProcess.Result) {
    let booked = try clinic.run(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2098-12-29 10:00"])
    #expect(booked.status == 0, "\(booked.stderr)")
    let first = try #require(appointments(try clinic.ok(["schedule", "--date", "2098-12-29"])).first?["id"] as? String)
    let cancelled = appointments(try clinic.ok(["cancel", first])).first
    let second = try #require(appointments(try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30",
                                                          "--at", "2098-12-29 11:00"])).first?["id"] as? String)
    let note = try #require(try clinic.ok(["note", "start", second, "--as", "jdoe"])["id"] as? String)
    try clinic.ok(["note", "edit", note, "--plan", "Chin tucks", "--as", "jdoe"])
    let sign = try clinic.run(["note", "sign", note, "--as", "jdoe", "--json"])
    return (booked.stdout.contains("in the past"), cancelled?["late_cancel"] as? Bool, sign)
}

@Suite("CLINIC_NOW sets the clock only in a database made for tests or demos")
struct TestClockCLITests {
    @Test("a database made by plain init ignores CLINIC_NOW, warning in one line on stderr (none with --json) and never on stdout")
    func plainInitIgnoresIt() throws {
        let (clinic, initialised) = try clockSite(testClock: false)
        #expect(initialised.json["test_clock"] as? Bool == false, "init --json stdout stays one JSON document: \(initialised.stdout)")
        let shown = try clinic.run(["site", "show", "--json"])
        #expect(shown.status == 0)
        #expect(shown.json["test_clock"] as? Bool == false, "stdout is the JSON document alone: \(shown.stdout)")
        #expect(shown.stderr.isEmpty, "with --json, stderr holds only an error document: \(shown.stderr)")
        #expect(!shown.stdout.contains("CLINIC_NOW is ignored"))
        let plain = try clinic.run(["site", "show"])
        let warning = plain.stderr.split(separator: "\n")
        #expect(warning.count == 1 && warning.first?.contains("CLINIC_NOW") == true, "one warning line: \(plain.stderr)")
        #expect(plain.stdout.contains("CLINIC_NOW is ignored"))
        #expect((try clockFinding(clinic)?["message"] as? String)?.contains("CLINIC_NOW is ignored") == true)

        let decided = try decisions(clinic)
        #expect(!decided.pastBooking, "2098 is ahead of the machine's clock")
        #expect(decided.lateCancel == false, "decades of notice by the machine's clock")
        let lastLine = decided.sign.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(decided.sign.status == 1 && jsonError(lastLine)?.code == "too-early", "the error is still one JSON line: \(decided.sign.stderr)")
    }

    @Test("init --test-clock honours CLINIC_NOW without a warning, and site show and doctor say so")
    func testClockHonoursIt() throws {
        let (clinic, initialised) = try clockSite(testClock: true)
        #expect(initialised.json["test_clock"] as? Bool == true)
        #expect(initialised.stderr.isEmpty, "\(initialised.stderr)")
        let shown = try clinic.run(["site", "show", "--json"])
        #expect(shown.json["test_clock"] as? Bool == true)
        #expect(shown.stderr.isEmpty, "\(shown.stderr)")
        #expect(try clinic.run(["site", "show"]).stdout.contains("test clock"))
        #expect((try clockFinding(clinic)?["message"] as? String)?.contains("test clock") == true)

        let decided = try decisions(clinic)
        #expect(decided.pastBooking, "2098-12-29 is a week before CLINIC_NOW")
        #expect(decided.lateCancel == true, "cancelled after its start by CLINIC_NOW")
        #expect(decided.sign.status == 0, "\(decided.sign.stderr)")
    }

    @Test("demo honours CLINIC_NOW: its week of bookings is around that day, and site show says so")
    func demoHonoursIt() throws {
        var clinic = ClinicProcess()
        clinic.now = "2031-03-12T15:00:00Z"
        let demo = try clinic.run(["demo", "--json"])
        try #require(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stderr.isEmpty, "\(demo.stderr)")
        let shown = try clinic.ok(["site", "show"])
        #expect(shown["test_clock"] as? Bool == true)
        #expect(!appointments(try clinic.ok(["schedule", "--week", "2031-03-10"])).isEmpty)
    }

    @Test("a malformed CLINIC_NOW refuses init --test-clock before any file is made, and is merely ignored by plain init")
    func malformedClock() throws {
        var clinic = ClinicProcess()
        clinic.now = "yesterday"
        let site = ["init", "--site-code", "MTL", "--site-name", "Montréal", "--timezone", "America/Toronto", "--json"]
        let refused = try clinic.run(site + ["--test-clock"])
        #expect(refused.status == 64 && refused.errorCode == "invalid-time", "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: clinic.database))
        let plain = try clinic.run(Array(site.dropLast()))
        #expect(plain.status == 0 && plain.stderr.contains("CLINIC_NOW is ignored"), "\(plain.stderr)")
    }

    @Test("init --test-clock on a database that already holds a site changes nothing")
    func testClockCannotBeAddedLater() throws {
        let (clinic, _) = try clockSite(testClock: false)
        let again = try clinic.run(["init", "--site-code", "QC", "--site-name", "Québec", "--timezone", "America/Toronto", "--test-clock", "--json"])
        #expect(again.status == 1)
        #expect(try clinic.run(["site", "show", "--json"]).json["test_clock"] as? Bool == false)
    }
}
