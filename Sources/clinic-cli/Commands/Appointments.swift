import ArgumentParser
import Models
import Storage

/// `clinic appointments`: one patient's appointments at every site, each in its site's zone.
struct Appointments: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "appointments",
        abstract: "List a patient's appointments at every site, each at its site's wall-clock time (another site's labelled, e.g. 10:00 EST (MTL)).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var chartInput: ChartArgument
    var patient: String { chartInput.value }
    @Flag(help: "Only those starting from now on.") var upcoming = false
    @Flag(help: "Only those that started before now.") var past = false
    @Flag(help: "Print CSV (a header row, then one appointment a line) instead of a table.") var csv = false

    func validate() throws {
        if upcoming, past { throw ValidationError("give at most one of --upcoming and --past") }
        if csv, global.json { throw ValidationError("give at most one of --csv and --json") }
    }

    func run() throws {
        let session = try global.open()
        let records = try session.acting.patientAppointments(chart: patient, upcoming: upcoming ? true : past ? false : nil)
        let times = try session.times()
        if csv {
            print(CSVLine.make(["id", "site", "local_start", "local_end", "start", "end", "practitioner", "room", "patient", "service", "status",
                                "late_cancel"]))
            for view in records.map({ AppointmentView($0, times: times) }) {
                print(CSVLine.make([view.id, view.site, view.local_start, view.local_end, view.start, view.end, view.practitioner, view.room,
                                    view.patient, view.service, view.status, String(view.late_cancel)]))
            }
            return
        }
        try session.emit(AppointmentList(records, times: times)) {
            records.isEmpty ? "No appointments." : appointmentTable(records, times: times)
        }
    }
}
