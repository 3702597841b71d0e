import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct Outcomes: RangeReport {
        static let configuration = CommandConfiguration(commandName: "outcomes", 
            abstract: "Mean NPRS change per modality and the share of patients reaching the minimal clinically important difference (2 points).",
            discussion: "Mean change = mean of (pain before − pain after) over sessions with both scores. A patient reaches the MCID when the first session's 'before' minus the last session's 'after' in the range is at least 2. Signed notes only. Needs --as (clinical data, audited).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable {
            let site: String, modality: String, scored_sessions: Int, mean_nprs_change: Double?, patients: Int, patients_reaching_mcid: Int
            let share_reaching_mcid: Double?
        }
        struct View: Encodable { let from: String, until: String, sites: [String], mcid: Int, outcomes: [Row] }

        func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View> {
            let found = try ReportData.sessions(session.acting, sites: sites, from: from, until: until, report: .reportOutcomes)
            let label = ReportSitesLabel(found.map(\.place), all: sites == .all)
            let rows = found.flatMap { place, sessions in TreatmentReport.outcomes(sessions).map { (site: place.site.code, row: $0) } }
            let csv = [label.csv("site", ["modality", "scored_sessions", "mean_nprs_change", "patients", "patients_reaching_mcid",
                                          "share_reaching_mcid"])] + rows.map { site, r in
                label.csv(site, [r.modality.rawValue, String(r.scoredSessions), CSVLine.number(r.meanChange), String(r.patients),
                                 String(r.patientsReachingMCID), CSVLine.number(r.shareReachingMCID)])
            }
            let view = View(from: label.from, until: label.until, sites: label.codes, mcid: PainChange.minimalImportantDifference, outcomes: rows.map { site, r in
                Row(site: site, modality: r.modality.rawValue, scored_sessions: r.scoredSessions, mean_nprs_change: r.meanChange, patients: r.patients,
                    patients_reaching_mcid: r.patientsReachingMCID, share_reaching_mcid: r.shareReachingMCID)
            })
            return ReportOutput(view: view, csv: csv) {
                [label.heading("Pain outcomes (NPRS 0–10)"), "", "Mean change per session (before − after)",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), max(0, $0.row.meanChange ?? 0),
                                             $0.row.meanChange.map { JSONValue.format(($0 * 100).rounded() / 100) + " pts" } ?? "—") }),
                 "", "Patients reaching the MCID (≥ \(PainChange.minimalImportantDifference) points)",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), $0.row.shareReachingMCID ?? 0,
                                             "\(BarChart.percent($0.row.shareReachingMCID)) (\($0.row.patientsReachingMCID)/\($0.row.patients))") }, scale: 1)]
                    .joined(separator: "\n")
            }
        }
    }
}
