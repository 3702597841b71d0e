import ArgumentParser
import Models
import Storage

extension StaffCommand {
    struct TimeOff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeoff", abstract: "Record time off (no bookings), wall-clock in the site's zone; refused over booked appointments unless --force.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Staff handle.") var handle: String
        @Option(help: "Start, e.g. \"2026-12-24 00:00\".") var from: String
        @Option(name: .customLong("until"), help: "End (exclusive), e.g. \"2026-12-27 00:00\".") var endsAt: String?
        /// The spelling of earlier releases, kept for scripts.
        @Option(name: .customLong("to"), help: .hidden) var to: String?
        @Option(help: "Reason shown on the schedule, e.g. holiday.") var reason: String?
        @Flag(help: "Record it even over appointments still booked (they are listed, to move or cancel).") var force = false

        func validate() throws {
            guard endsAt != nil || to != nil else { throw ValidationError("--until is required: the end of the time off, e.g. \"2026-12-27 00:00\"") }
        }

        func run() throws {
            let session = try global.open()
            let zone = try session.zone()
            let until = endsAt ?? to ?? ""
            let span = TimeSpan(start: try zone.parseTime(from, field: .startTime), end: try zone.parseTime(until, field: .endTime))
            let covered = try session.acting.addTimeOff(handle: handle, interval: span, reason: reason, force: force)
            let times = try session.times()
            struct View: Encodable { let staff: String, from: String, to: String, until: String, bookings: [AppointmentView] }
            let view = View(staff: handle, from: Instant.iso(span.start), to: Instant.iso(span.end), until: Instant.iso(span.end),
                            bookings: AppointmentList(covered, times: times).appointments)
            try session.emit(view) {
                let head = "'\(handle)' is off from \(zone.format(span.start)) to \(zone.format(span.end))"
                guard !covered.isEmpty else { return head }
                return head + "\nStill booked in that time (move or cancel them):\n" + appointmentTable(covered, times: times)
            }
        }
    }
}
