import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct Hours: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hours", abstract: "Set weekly working hours, in the site's time zone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Weekday: mon, tue, wed, thu, fri, sat or sun.") var day: String
        @Option(help: "Start of the working range, HH:MM.") var from: String?
        @Option(help: "End of the working range, HH:MM.") var to: String?
        @Flag(help: "Remove every working range on that day instead.") var clear = false

        func run() throws {
            let session = try global.open()
            if clear {
                guard let weekday = Weekday.parse(day) else {
                    throw ClinicError(.invalidDay, "--day must be one of mon, tue, wed, thu, fri, sat, sun")
                }
                try session.acting.clearHours(handle: handle, weekday: weekday)
                try session.emit(["cleared": Weekday.name(weekday)]) { "Cleared \(Weekday.name(weekday)) for '\(handle)'" }
                return
            }
            guard let from, let to else { throw ValidationError("--from and --to are required unless --clear is given") }
            let hours = try WorkingHours.parse(day: day, from: from, to: to)
            try session.acting.addHours(handle: handle, hours: hours)
            try session.emit(hours) {
                "'\(handle)' works \(Weekday.name(hours.weekday)) \(TimeOfDay.format(hours.startMinute))–\(TimeOfDay.format(hours.endMinute))"
            }
        }
    }
}
