import ArgumentParser
import Foundation
import Models
import Storage

/// `clinic notes --patient`: the patient's sessions in order, as read before the next one;
/// `clinic notes --unsigned`: one's own drafts across every patient, still to finish and sign.
struct NotesHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "A patient's sessions in order (points, needles, pain, outcome measures, assessment and plan), or your unsigned drafts.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var chart: OptionalChartArgument
    var patient: String? { chart.value }
    @Flag(help: "Your own draft notes across every patient, oldest session first.") var unsigned = false
    @Flag(help: "One CSV row per note (header row first): date, patient, note, author, service, status, sites, needles, measures, assessment, plan.")
    var csv = false

    func validate() throws {
        if (patient == nil) == !unsigned { throw ValidationError("give --patient CHART or --unsigned") }
        if csv, global.json { throw ValidationError("--csv and --json cannot be combined") }
    }

    func run() throws {
        let session = try global.open()
        let notes = try unsigned ? Notes(session.acting).unsigned() : Notes(session.acting).history(chart: patient ?? "")
        let times = try session.times()
        let views = try notes.map { try NoteView($0, db: session.db, times: times) }
        if csv {
            print(TerminalText.escaped(Self.csvText(views), keepingLayout: true))
            return
        }
        try session.emit(["notes": views]) {
            guard !views.isEmpty else {
                return unsigned ? "No unsigned notes: every note of yours is signed." : "No session notes for \((patient ?? "").uppercased())."
            }
            var table = unsigned ? TextTable("DATE", "PATIENT", "NOTE", "SERVICE", "SITES", "NEEDLES", "PAIN")
                                 : TextTable("DATE", "NOTE", "BY", "STATUS", "SITES", "NEEDLES", "PAIN", "ADVERSE")
            for v in views {
                let sites = v.needling.map { ($0.point ?? $0.muscle ?? "?") + ($0.estim != nil ? "⚡" : "") }.joined(separator: " ")
                let needles = v.needling.isEmpty ? "" : "\(v.needles_inserted)/\(v.needles_removed)"
                if unsigned {
                    table.add(v.session_date, v.patient, IDSuffix.short(v.id), v.service ?? "", sites, needles, v.painText)
                } else {
                    table.add(v.session_date, IDSuffix.short(v.id), v.author, v.status + (v.amendments.isEmpty ? "" : "+\(v.amendments.count)"),
                              sites, needles, v.painText, v.adverse_events.map(\.kind).joined(separator: ", "))
                }
            }
            let details = views.compactMap(\.clinicalLines)
            return ([table.render()] + details).joined(separator: "\n\n")
        }
    }

    /// RFC 4180 quoting (lines end in LF, as the other CSV outputs): one header row, then one row per note; text fields quoted when they hold a comma, quote or line break.
    static func csvText(_ views: [NoteView]) -> String {
        let header = ["date", "patient", "note", "author", "service", "status", "sites", "needles_inserted", "needles_removed",
                      "pain_before", "pain_after", "ndi", "odi", "psfs", "assessment", "plan", "adverse_events"]
        let rows = views.map { v -> [String] in
            let sites: String = v.needling.map { ($0.point ?? $0.muscle ?? "?") + ":" + $0.side }.joined(separator: " ")
            let measures: [String] = [v.pain_before.map(String.init) ?? "", v.pain_after.map(String.init) ?? "",
                                      v.ndi.map(String.init) ?? "", v.odi.map(String.init) ?? "", v.psfs.map { JSONValue.format($0) } ?? ""]
            let heading: [String] = [v.session_date, v.patient, v.id, v.author, v.service ?? "", v.status, sites,
                                     String(v.needles_inserted), String(v.needles_removed)]
            return heading + measures + [v.assessment, v.plan, v.adverse_events.map(\.kind).joined(separator: " ")]
        }
        return ([header] + rows).map(CSVLine.make).joined(separator: "\n")
    }
}

extension NoteView {
    /// `6→3`, or empty when neither pain score was recorded.
    var painText: String {
        (pain_before != nil || pain_after != nil) ? "\(pain_before.map(String.init) ?? "?")→\(pain_after.map(String.init) ?? "?")" : ""
    }

    /// The outcome measures recorded (`NPRS 6→3, NDI 18, ODI 30, PSFS 4.5`), or nil when none was.
    var measuresText: String? {
        let measures = [("NPRS", painText.isEmpty ? nil : painText), ("NDI", ndi.map(String.init)), ("ODI", odi.map(String.init)),
                        ("PSFS", psfs.map { JSONValue.format($0) })]
            .compactMap { name, value in value.map { "\(name) \($0)" } }
        return measures.isEmpty ? nil : measures.joined(separator: ", ")
    }

    /// Under the table, per note with something to say: its assessment, plan and measures.
    var clinicalLines: String? {
        let lines = [("Assessment", assessment.isEmpty ? nil : assessment), ("Plan", plan.isEmpty ? nil : plan), ("Measures", measuresText)]
            .compactMap { label, value in value.map { "  \(label.padding(toLength: 11, withPad: " ", startingAt: 0))\($0)" } }
        return lines.isEmpty ? nil : (["\(session_date)  \(IDSuffix.short(id))"] + lines).joined(separator: "\n")
    }
}
