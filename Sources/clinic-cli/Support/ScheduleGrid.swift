import Models
import Storage

/// The printed day a front desk pins up: one column per practitioner (or room), one row per
/// 15 minutes, each appointment at its start as a few lines (chart and service; the patient's name
/// to a role that may see it; the short id `checkin` and `cancel` take and the status; the room when
/// columns are practitioners), a row growing when a short booking needs more lines, and a bar while it runs.
/// Bookings that would share a cell get a column each, side by side, so none is hidden; one that
/// overlaps another booking of its practitioner, room or patient (a double booking two sites made
/// offline) is marked `!`. Rows are the wall clock of the schedule's site, marked when that is
/// another site (`10:00 EST (MTL)`).
struct ScheduleGrid {
    let date: CivilDate
    let schedule: SiteSchedule
    let times: SiteTimes
    let byRoom: Bool
    /// The practitioner asked for (`--with`), whose bookings at other sites the footer counts.
    let practitioner: String?
    /// The widest a line may be; nil for no limit (output piped, no `COLUMNS`).
    let width: Int?
    var stepMinutes = 15
    /// Unicode marks, or ASCII ones where the locale or terminal cannot show them.
    var style = TerminalStyle.current()

    static let overlapMark = "!"

    private var zone: SiteTimeZone { schedule.zone }
    private var dayStart: Int64 { zone.startOfDay(date) }
    private var dayEnd: Int64 { zone.startOfDay(date.adding(days: 1)) }

    /// One booking placed in the grid: its first row and the row after its last.
    private struct Placed {
        let record: AppointmentRecord
        let firstRow: Int
        let endRow: Int
    }

    /// One column of the grid: a practitioner's (or room's) lane.
    private struct Lane {
        let name: String
        var bookings: [Placed] = []
        var endRow: Int { bookings.last?.endRow ?? Int.min }
    }

    func render() -> String {
        let todays = schedule.appointments.filter { $0.appointment.span.start >= dayStart && $0.appointment.span.start < dayEnd }
        let live = todays.filter { $0.appointment.status.holdsSlot }
        let title = "\(Weekday.name(date.weekday).capitalized) \(date)"
        let overlapping = schedule.overlapping
        var sections: [String] = []
        if live.isEmpty {
            sections.append("\(title): no appointments" + (isHere ? "" : " at \(schedule.site.code)"))
        } else {
            let lanes = self.lanes(live)
            let firstRow = lanes.flatMap(\.bookings).map(\.firstRow).min() ?? 0
            let lastRow = lanes.flatMap(\.bookings).map(\.endRow).max() ?? firstRow
            var rows: [[String]] = []
            for row in firstRow..<lastRow {
                // Each lane's booking at this row and the lines of it this row shows: one a row, the rest on its last row.
                let shown: [(placed: Placed, lines: [String])?] = lanes.map { lane in
                    lane.bookings.first { $0.firstRow <= row && row < $0.endRow }.map { placed in
                        let lines = cellLines(placed.record, overlapping: overlapping.contains(placed.record.id))
                        let index = row - placed.firstRow
                        let mine = row == placed.endRow - 1 ? Array(lines.dropFirst(index)) : index < lines.count ? [lines[index]] : []
                        return (placed, mine)
                    }
                }
                let height = max(1, shown.map { $0?.lines.count ?? 0 }.max() ?? 1)
                for line in 0..<height {
                    var cells = [line == 0 ? timeText(dayStart + Int64(row * stepMinutes) * 60_000) : ""]
                    for lane in shown {
                        guard let (placed, lines) = lane else {
                            cells.append(line == 0 ? style.emptySlot : "")
                            continue
                        }
                        cells.append(line < lines.count ? lines[line] : (row < placed.endRow - 1 || line == 0) ? style.runningOn : "")
                    }
                    rows.append(cells)
                }
            }
            var groups: [Range<Int>] = []
            var index = 1
            for name in lanes.map(\.name).uniqued() {
                let count = lanes.filter { $0.name == name }.count
                groups.append(index..<index + count)
                index += count
            }
            sections.append(GridFitting(headers: [title] + lanes.map(\.name), rows: rows, groups: groups, width: width, style: style).render())
        }
        let footer = footerLines(todays, overlapping: overlapping)
        if !footer.isEmpty { sections.append(footer.map { GridFitting.wrap($0, width: width, style: style) }.joined(separator: "\n")) }
        return sections.joined(separator: "\n")
    }

    /// Whether the day has any appointment of the site, cancelled ones included.
    var hasAnything: Bool {
        schedule.appointments.contains { $0.appointment.span.start >= dayStart && $0.appointment.span.start < dayEnd }
    }

    private var isHere: Bool { schedule.site.id == times.here.id }

    /// A row's time of day, with the zone and site after it when the site is not this database's.
    private func timeText(_ millis: Int64) -> String {
        TimeOfDay.format(zone.local(millis).minuteOfDay)
            + zone.siteMark(millis, site: schedule.site.code, isLocal: isHere, here: times.hereZone)
    }

    /// A booking's lines in its cell: chart and service (marked `!` when it overlaps), the name when
    /// the actor may see it, the short id and status, and the room when columns are practitioners.
    private func cellLines(_ record: AppointmentRecord, overlapping: Bool) -> [String] {
        var lines = [(overlapping ? Self.overlapMark + " " : "") + "\(record.patientChart) \(record.serviceSlug)"]
        if let name = schedule.patientNames[record.patientChart] { lines.append(Self.abbreviated(name, to: Self.nameWidth, style: style)) }
        lines.append("\(IDSuffix.short(record.id)) \(Self.statusWord(record.appointment.status))")
        if !byRoom { lines.append(record.roomName) }
        return lines
    }

    /// The widest a name stands in a cell, so one long name does not push the other columns off the page.
    static let nameWidth = 24

    /// `name` in at most `width` characters: whole when it fits, else with the first names as initials
    /// (`M.-É. Vandenberghe`), else shortened with the style's mark; never cut without one.
    static func abbreviated(_ name: String, to width: Int, style: TerminalStyle) -> String {
        guard name.count > width else { return name }
        var words = name.split(separator: " ").map(String.init)
        if words.count > 1 {
            for index in words.indices.dropLast() {
                words[index] = words[index].split(separator: "-").compactMap { $0.first.map { "\($0)." } }.joined(separator: "-")
            }
            let initialled = words.joined(separator: " ")
            if initialled.count <= width { return initialled }
            return GridFitting.cut(initialled, to: width, style: style)
        }
        return GridFitting.cut(name, to: width, style: style)
    }

    /// The status as the desk says it.
    static func statusWord(_ status: AppointmentStatus) -> String {
        switch status {
        case .booked: return "booked"
        case .checkedIn: return "arrived"
        case .completed: return "done"
        case .noShow: return "no-show"
        case .cancelled: return "cancelled"
        }
    }

    /// Each column's bookings in lanes: a booking goes to the first lane of its column that is free
    /// over all its rows, so two that share a row (a double booking among them) stand side by side.
    private func lanes(_ live: [AppointmentRecord]) -> [Lane] {
        func row(_ millis: Int64, roundingUp: Bool) -> Int {
            let step = Int64(stepMinutes) * 60_000
            // Every booking in the grid starts on this day, so the offsets are never negative.
            let offset = max(0, millis - dayStart)
            return Int((offset + (roundingUp ? step - 1 : 0)) / step)
        }
        var lanes: [Lane] = []
        let names = Set(live.map(columnName)).sorted()
        for name in names {
            var own: [Lane] = []
            let bookings = live.filter { columnName($0) == name }
                .sorted { ($0.appointment.span.start, $0.id) < ($1.appointment.span.start, $1.id) }
            for record in bookings {
                let first = row(record.appointment.span.start, roundingUp: false)
                let placed = Placed(record: record, firstRow: first, endRow: max(first + 1, row(record.appointment.span.end, roundingUp: true)))
                if let free = own.firstIndex(where: { $0.endRow <= placed.firstRow }) {
                    own[free].bookings.append(placed)
                } else {
                    own.append(Lane(name: name, bookings: [placed]))
                }
            }
            lanes += own
        }
        return lanes
    }

    private func columnName(_ record: AppointmentRecord) -> String { byRoom ? record.roomName : record.practitionerHandle }

    /// What the grid cannot show: cancelled bookings, what `!` means and the other sites' half of a
    /// double booking, and the practitioner's bookings at other sites that day.
    private func footerLines(_ todays: [AppointmentRecord], overlapping: Set<String>) -> [String] {
        var lines: [String] = []
        let cancelled = todays.filter { $0.appointment.status == .cancelled }
        if !cancelled.isEmpty {
            lines.append("Cancelled: " + cancelled.map {
                "\(timeText($0.appointment.span.start)) \($0.patientChart) \($0.practitionerHandle) \(IDSuffix.short($0.id))"
                    + ($0.appointment.lateCancel ? " (late)" : "")
                    + ($0.cancelledByResolution ? " (conflict)" : "")
            }.joined(separator: "; "))
        }
        let todaysIDs = Set(todays.map(\.id))
        if !overlapping.isDisjoint(with: todaysIDs) {
            lines.append("\(Self.overlapMark) overlap: booked twice at once (one practitioner, room or patient), as two sites may do offline; "
                         + "both stay until 'clinic sync conflicts' resolves it.")
            let elsewhere = Dictionary(schedule.elsewhere.map { ($0.id, $0) }) { first, _ in first }
            let shown = Dictionary(todays.map { ($0.id, $0) }) { first, _ in first }
            for pair in schedule.doubleBookings {
                guard let (here, there) = shown[pair.first].flatMap({ a in elsewhere[pair.second].map { (a, $0) } })
                        ?? shown[pair.second].flatMap({ a in elsewhere[pair.first].map { (a, $0) } }) else { continue }
                lines.append("\(Self.overlapMark) \(timeText(here.appointment.span.start)) \(here.patientChart) \(here.practitionerHandle) overlaps "
                             + "\(times.label(there.appointment.span.start, of: there)) \(there.patientChart) \(there.practitionerHandle) "
                             + "in \(there.roomName)")
            }
        }
        if let practitioner {
            let away = schedule.elsewhere.filter {
                $0.practitionerHandle == practitioner && $0.appointment.span.start >= dayStart && $0.appointment.span.start < dayEnd
            }
            if !away.isEmpty {
                let sites = away.map(\.siteCode).uniqued().sorted().joined(separator: ", ")
                lines.append("\(practitioner) has \(away.count) more booking\(away.count == 1 ? "" : "s") this day at other sites: \(sites)")
            }
        }
        return lines
    }
}

/// A grid laid out within a width: columns that do not fit go to another block below (each with the
/// time column again, a practitioner's side-by-side columns kept together when they fit), a column
/// too wide even alone has its cells shortened, and any line still too long is cut.
struct GridFitting {
    let headers: [String]
    let rows: [[String]]
    /// The columns after the first that belong together (one practitioner's lanes).
    let groups: [Range<Int>]
    let width: Int?
    var style = TerminalStyle.current()

    func render() -> String {
        let natural = table(columns: Array(headers.indices), limit: nil)
        guard let width, natural.split(separator: "\n").contains(where: { $0.count > width }) else { return natural }
        let widths = headers.indices.map { column in ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        let timeWidth = widths[0]
        var blocks: [[Int]] = []
        var current: [Int] = []
        var used = timeWidth
        func place(_ columns: [Int]) {
            let needed = columns.map { widths[$0] + 2 }.reduce(0, +)
            if !current.isEmpty, used + needed > width {
                blocks.append(current)
                current = []
                used = timeWidth
            }
            current += columns
            used += needed
        }
        for group in groups {
            let columns = Array(group)
            if timeWidth + columns.map({ widths[$0] + 2 }).reduce(0, +) <= width {
                place(columns)
            } else {
                for column in columns { place([column]) }
            }
        }
        if !current.isEmpty { blocks.append(current) }
        let limit = max(1, width - timeWidth - 2)
        return blocks.map { table(columns: [0] + $0, limit: limit) }.joined(separator: "\n\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { Self.cut(String($0), to: width, style: style) }.joined(separator: "\n")
    }

    private func table(columns: [Int], limit: Int?) -> String {
        func fitted(_ text: String, _ column: Int) -> String {
            guard column != 0, let limit else { return text }
            return Self.cut(text, to: limit, style: style)
        }
        var table = TextTable(headers: columns.map { fitted(headers[$0], $0) })
        // A row's extra lines that hold nothing in these columns (another block's long booking) are left out.
        for row in rows where !row[0].isEmpty || columns.dropFirst().contains(where: { !row[$0].isEmpty }) {
            table.add(row: columns.map { fitted(row[$0], $0) })
        }
        return table.render()
    }

    /// `text` in at most `width` characters, ending in `…` (`...` in ASCII) when shortened; trailing
    /// padding goes first, so only text is ever cut.
    static func cut(_ text: String, to width: Int, style: TerminalStyle) -> String {
        guard text.count > width else { return text }
        let trimmed = String(text.reversed().drop { $0 == " " }.reversed())
        guard trimmed.count > width else { return trimmed }
        let mark = style.ellipsis
        return width <= mark.count ? String(trimmed.prefix(width)) : String(trimmed.prefix(width - mark.count)) + mark
    }

    /// `text` broken at spaces into lines of at most `width` characters (a longer word is cut).
    static func wrap(_ text: String, width: Int?, style: TerminalStyle) -> String {
        guard let width, text.count > width else { return text }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { cut($0, to: width, style: style) }.joined(separator: "\n")
    }
}

extension Sequence where Element: Hashable {
    /// The elements in their order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension TextTable {
    init(headers: [String]) {
        self.headers = headers
    }
}
