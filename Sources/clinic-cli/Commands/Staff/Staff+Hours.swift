import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct Hours: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hours", abstract: "Set a clinician's weekly working hours at a site, in that site's time zone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Weekday: mon, tue, wed, thu, fri, sat or sun.") var day: String
        @Option(help: "Start of the working range, HH:MM.") var from: String?
        @Option(name: .customLong("until"), help: "End of the working range, HH:MM.") var endsAt: String?
        /// The spelling of earlier releases, kept for scripts.
        @Option(name: .customLong("to"), help: .hidden) var to: String?
        var until: String? { endsAt ?? to }
        @Option(help: ArgumentHelp("Site these hours are at, by code (default: this database's site).", valueName: "code")) var site: String?
        @Flag(help: "Remove every working range on that day at that site instead.") var clear = false

        func run() throws {
            let session = try global.open()
            if clear {
                guard let weekday = Weekday.parse(day) else {
                    throw ClinicError(.invalidDay, "--day must be one of mon, tue, wed, thu, fri, sat, sun")
                }
                let at = try session.acting.clearHours(handle: handle, weekday: weekday, siteCode: site)
                try session.emit(["cleared": Weekday.name(weekday), "site": at.code]) {
                    "Cleared \(Weekday.name(weekday)) at \(at.code) for '\(handle)'"
                }
                return
            }
            guard let from, let until else { throw ValidationError("--from and --until are required unless --clear is given") }
            let hours = try WorkingHours.parse(day: day, from: from, to: until)
            let at = try session.acting.addHours(handle: handle, hours: hours, siteCode: site)
            // startMinute/endMinute as before; start, end and site added.
            struct View: Encodable { let weekday: Int, startMinute: Int, endMinute: Int, start: String, end: String, site: String }
            try session.emit(View(weekday: hours.weekday, startMinute: hours.startMinute, endMinute: hours.endMinute,
                                  start: TimeOfDay.format(hours.startMinute), end: TimeOfDay.format(hours.endMinute), site: at.code)) {
                "'\(handle)' works \(Weekday.name(hours.weekday)) \(TimeOfDay.format(hours.startMinute))–\(TimeOfDay.format(hours.endMinute)) at \(at.code)"
            }
        }
    }
}
