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
            let modality: String, scored_sessions: Int, mean_nprs_change: Double?, patients: Int, patients_reaching_mcid: Int, share_reaching_mcid: Double?
        }
        struct View: Encodable { let from: String, until: String, mcid: Int, outcomes: [Row] }

        func report(_ session: Session, range: ReportRange) throws -> ReportOutput<View> {
            let sessions = try ReportData.sessions(session.acting, from: range.start, to: range.end, report: .reportOutcomes)
            let rows = TreatmentReport.outcomes(sessions)
            let csv = [["modality", "scored_sessions", "mean_nprs_change", "patients", "patients_reaching_mcid", "share_reaching_mcid"]] + rows.map { r in
                [r.modality.rawValue, String(r.scoredSessions), CSVLine.number(r.meanChange), String(r.patients),
                 String(r.patientsReachingMCID), CSVLine.number(r.shareReachingMCID)]
            }
            let view = View(from: range.from, until: range.until,
                            mcid: PainChange.minimalImportantDifference, outcomes: rows.map {
                Row(modality: $0.modality.rawValue, scored_sessions: $0.scoredSessions, mean_nprs_change: $0.meanChange, patients: $0.patients,
                    patients_reaching_mcid: $0.patientsReachingMCID, share_reaching_mcid: $0.shareReachingMCID)
            })
            return ReportOutput(view: view, csv: csv) {
                [range.heading("Pain outcomes (NPRS 0–10)"), "", "Mean change per session (before − after)",
                 BarChart.render(rows.map { ($0.modality.rawValue, max(0, $0.meanChange ?? 0),
                                             $0.meanChange.map { JSONValue.format(($0 * 100).rounded() / 100) + " pts" } ?? "—") }),
                 "", "Patients reaching the MCID (≥ \(PainChange.minimalImportantDifference) points)",
                 BarChart.render(rows.map { ($0.modality.rawValue, $0.shareReachingMCID ?? 0,
                                             "\(BarChart.percent($0.shareReachingMCID)) (\($0.patientsReachingMCID)/\($0.patients))") }, scale: 1)]
                    .joined(separator: "\n")
            }
        }
    }
}
