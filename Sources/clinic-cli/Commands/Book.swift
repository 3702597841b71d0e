import ArgumentParser
import Models
import Storage

/// `clinic book`: one appointment or a recurring series, checked and written in one transaction.
struct Book: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "book", 
        abstract: "Book an appointment (or a series); refuses double bookings, times outside hours and missing scope.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Patient chart number, e.g. MTL-000042.") var patient: String
    @Option(name: .customLong("with"), help: "Practitioner handle.", completion: Completions.practitioners) var practitioner: String
    @Option(help: "Service slug, e.g. dn-30.", completion: Completions.services) var service: String
    @Option(help: "Start: \"2026-12-01 09:00\" in the site's zone, or ISO-8601 with offset.") var at: String
    @Option(help: "Room or bed; default: the first free one.", completion: Completions.rooms) var room: String?
    @Option(help: "Length when it differs from the service's: 30m, 1h, 1h30m.") var duration: String?
    @Option(name: .customLong("repeat"), help: "Repeat daily, weekly or every-2-weeks (needs --count or --until).") var repeatRule: RepeatRule?
    @Option(help: "Number of occurrences in the series, first included.") var count: Int?
    @Option(help: "Last date of the series, YYYY-MM-DD (inclusive).") var until: String?
    @Flag(help: "With --repeat: book the free dates and list each clashing date with its reason, instead of refusing the series.")
    var skipClashes = false
    @Option(help: ArgumentHelp("Site to book at, by code (default: this database's site); --at and --room are that site's. Allowed offline: checked again when the logs meet.", valueName: "code")) var site: String?

    func validate() throws {
        if repeatRule != nil, (count == nil) == (until == nil) {
            throw ValidationError("--repeat needs exactly one of --count or --until")
        }
        if repeatRule == nil, count != nil || until != nil {
            throw ValidationError("--count and --until need --repeat")
        }
        if repeatRule == nil, skipClashes {
            throw ValidationError("--skip-clashes needs --repeat")
        }
    }

    func run() throws {
        let minutes = try duration.map(DurationText.minutes)
        let session = try global.open()
        let zone = try session.zone(site: site)
        let start = try zone.parseTime(at)
        var recurrence: Recurrence?
        if let repeatRule {
            let end: RepeatEnd = try until.map { .until(try CivilDate.parse($0, field: .until)) } ?? .count(count ?? 1)
            recurrence = Recurrence(rule: repeatRule, end: end)
        }
        let outcome = try session.acting.book(
            .init(patientChart: patient, practitionerHandle: practitioner, serviceSlug: service, start: start,
                  roomName: room, durationMinutes: minutes, recurrence: recurrence, siteCode: site), skippingClashes: skipClashes)
        let records = outcome.booked
        let inPast = start < session.now
        let times = try session.times()
        let skipped = outcome.skipped.map { SkippedView($0, zone: zone) }
        try session.emit(BookedSeries(appointments: AppointmentList(records, times: times).appointments, skipped: skipClashes ? skipped : nil)) {
            let head = records.count == 1 ? "Booked:" : "Booked a series of \(records.count):"
            var text = head + "\n" + appointmentTable(records, times: times) + (inPast ? "\nNote: this booking is in the past (back-entry)." : "")
            if !skipped.isEmpty {
                text += "\nSkipped \(skipped.count) clashing date\(skipped.count == 1 ? "" : "s"):"
                text += skipped.map { "\n  \($0.date) \($0.time) [\($0.code)] \($0.message)" }.joined()
            }
            return text
        }
    }
}

extension RepeatRule: ExpressibleByArgument {}

/// A booking's JSON: the appointments, and with `--skip-clashes` the dates left out.
private struct BookedSeries: Encodable {
    let appointments: [AppointmentView]
    let skipped: [SkippedView]?
}

/// One date of a series left out by `--skip-clashes`: its local date and time, and the refusal.
private struct SkippedView: Encodable {
    let date: String
    let time: String
    let code: String
    let message: String

    init(_ skipped: Scheduler.SkippedDate, zone: SiteTimeZone) {
        let local = zone.local(skipped.start)
        date = local.date.description
        time = TimeOfDay.format(local.minuteOfDay)
        code = skipped.refusal.code.name
        message = skipped.refusal.commandLineMessage
    }
}
