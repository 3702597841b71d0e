import Models
import Storage

/// The printed day a front desk pins up: one column per practitioner (or room), one row per
/// 15 minutes, each appointment's chart number and service at its start and a bar while it runs.
struct ScheduleGrid {
    let date: CivilDate
    let zone: SiteTimeZone
    let columns: [String]
    let records: [AppointmentRecord]
    let byRoom: Bool
    var stepMinutes = 15

    func render() -> String {
        let live = records.filter { $0.appointment.status.holdsSlot }
        let dayStart = zone.startOfDay(date)
        func minute(_ millis: Int64) -> Int { Int((millis - dayStart) / 60_000) }
        let first = (live.map { minute($0.appointment.span.start) }.min() ?? 8 * 60) / stepMinutes * stepMinutes
        let last = live.map { minute($0.appointment.span.end) }.max() ?? 17 * 60
        let weekday = Weekday.name(date.weekday).capitalized
        var table = TextTable(headers: ["\(weekday) \(date)"] + columns)
        guard !live.isEmpty else { return "\(weekday) \(date): no appointments" }
        var row = first
        while row < last {
            var cells = [TimeOfDay.format(zone.local(dayStart + Int64(row) * 60_000).minuteOfDay)]
            for column in columns {
                let here = live.first { record in
                    (byRoom ? record.roomName : record.practitionerHandle) == column
                        && minute(record.appointment.span.start) < row + stepMinutes && minute(record.appointment.span.end) > row
                }
                guard let here else { cells.append("·"); continue }
                let startRow = minute(here.appointment.span.start) / stepMinutes * stepMinutes
                if startRow == row {
                    let mark = here.appointment.status == .noShow ? " ✗" : here.appointment.status == .completed ? " ✓" : ""
                    cells.append("\(here.patientChart) \(here.serviceSlug)\(mark)")
                } else {
                    cells.append("│")
                }
            }
            table.add(row: cells)
            row += stepMinutes
        }
        let cancelled = records.filter { $0.appointment.status == .cancelled }
        var text = table.render()
        if !cancelled.isEmpty {
            text += "\nCancelled: " + cancelled.map {
                "\(TimeOfDay.format(zone.local($0.appointment.span.start).minuteOfDay)) \($0.patientChart) \($0.practitionerHandle)"
                    + ($0.appointment.lateCancel ? " (late)" : "") + ($0.cancelledByResolution ? " (conflict)" : "")
            }.joined(separator: "; ")
        }
        return text
    }
}

extension TextTable {
    init(headers: [String]) {
        self.headers = headers
    }
}
