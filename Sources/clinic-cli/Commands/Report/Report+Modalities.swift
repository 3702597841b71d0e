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

        struct Row: Encodable { let site: String, modality: String, sessions: Int, share: Double?, needles: Int, needles_per_session: Double? }
        struct View: Encodable { let from: String, until: String, sites: [String], modalities: [Row] }

        func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View> {
            let found = try ReportData.sessions(session.acting, sites: sites, from: from, until: until, report: .reportModalities)
            let label = ReportSitesLabel(found.map(\.place), all: sites == .all)
            let rows = found.flatMap { place, sessions in TreatmentReport.modalities(sessions).map { (site: place.site.code, row: $0) } }
            let csv = [label.csv("site", ["modality", "sessions", "share", "needles", "needles_per_session"])] + rows.map { site, r in
                label.csv(site, [r.modality.rawValue, String(r.sessions), CSVLine.number(r.share), String(r.needles), CSVLine.number(r.needlesPerSession)])
            }
            let view = View(from: label.from, until: label.until, sites: label.codes, modalities: rows.map { site, r in
                Row(site: site, modality: r.modality.rawValue, sessions: r.sessions, share: r.share, needles: r.needles, needles_per_session: r.needlesPerSession)
            })
            return ReportOutput(view: view, csv: csv) {
                [label.heading("Modalities"), "", "Sessions",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), Double($0.row.sessions),
                                             "\($0.row.sessions) (\(BarChart.percent($0.row.share)))") }),
                 "", "Needles per session",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), $0.row.needlesPerSession ?? 0,
                                             $0.row.needlesPerSession.map { JSONValue.format(($0 * 10).rounded() / 10) } ?? "—") })]
                    .joined(separator: "\n")
            }
        }
    }
}
