import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct Modalities: RangeReport {
        static let configuration = CommandConfiguration(commandName: "modalities", 
            abstract: "Sessions by modality (dry needling, acupuncture, mixed, other) and needles per session.",
            discussion: "A session is a completed or checked-in visit, or one with a signed note; its modality comes from the signed note's needling (acupoints → acupuncture, muscles → dry needling). Needs --as (clinical data, audited).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable { let modality: String, sessions: Int, share: Double?, needles: Int, needles_per_session: Double? }
        struct View: Encodable { let from: String, until: String, modalities: [Row] }

        func report(_ session: Session, range: ReportRange) throws -> ReportOutput<View> {
            let sessions = try ReportData.sessions(session.acting, from: range.start, to: range.end, report: .reportModalities)
            let rows = TreatmentReport.modalities(sessions)
            let csv = [["modality", "sessions", "share", "needles", "needles_per_session"]] + rows.map { r in
                [r.modality.rawValue, String(r.sessions), CSVLine.number(r.share), String(r.needles), CSVLine.number(r.needlesPerSession)]
            }
            let view = View(from: range.from, until: range.until, modalities: rows.map {
                Row(modality: $0.modality.rawValue, sessions: $0.sessions, share: $0.share, needles: $0.needles, needles_per_session: $0.needlesPerSession)
            })
            return ReportOutput(view: view, csv: csv) {
                [range.heading("Modalities"), "", "Sessions",
                 BarChart.render(rows.map { ($0.modality.rawValue, Double($0.sessions), "\($0.sessions) (\(BarChart.percent($0.share)))") }),
                 "", "Needles per session",
                 BarChart.render(rows.map { ($0.modality.rawValue, $0.needlesPerSession ?? 0, $0.needlesPerSession.map { JSONValue.format(($0 * 10).rounded() / 10) } ?? "—") })]
                    .joined(separator: "\n")
            }
        }
    }
}
