import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct TimeOff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeoff", abstract: "Record time off (no bookings), wall-clock in the site's zone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Start, e.g. \"2026-12-24 00:00\".") var from: String
        @Option(help: "End (exclusive), e.g. \"2026-12-27 00:00\".") var to: String
        @Option(help: "Reason shown on the schedule, e.g. holiday.") var reason: String?

        func run() throws {
            let session = try global.open()
            let zone = try session.zone()
            let span = TimeSpan(start: try zone.parseTime(from, field: .startTime), end: try zone.parseTime(to, field: .endTime))
            try session.acting.addTimeOff(handle: handle, interval: span, reason: reason)
            struct View: Encodable { let staff: String, from: String, to: String }
            try session.emit(View(staff: handle, from: Instant.iso(span.start), to: Instant.iso(span.end))) {
                "'\(handle)' is off from \(zone.format(span.start)) to \(zone.format(span.end))"
            }
        }
    }
}
