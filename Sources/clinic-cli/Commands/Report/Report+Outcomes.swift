import ArgumentParser
import Models
import Storage

extension ReportCommand {
    struct Outcomes: RangeReport {
        static let configuration = CommandConfiguration(commandName: "outcomes", 
            abstract: "Mean NPRS change per modality, the share of patients reaching the minimal clinically important difference (2 points), and NDI, ODI and PSFS from first to last visit.",
            discussion: "Mean change = mean of (pain before − pain after) over sessions with both scores. A patient reaches the MCID when the first session's 'before' minus the last session's 'after' in the range is at least 2. NDI, ODI and PSFS: each patient with two or more scored visits in the range, change = last − first (NDI and ODI fall as a patient improves, PSFS rises); --csv lists the modality rows only. Signed notes only. Needs --as (clinical data, audited).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        struct Row: Encodable {
            let site: String, modality: String, scored_sessions: Int, mean_nprs_change: Double?, patients: Int, patients_reaching_mcid: Int
            let share_reaching_mcid: Double?
        }
        /// One measure's patients and mean change (last − first), at one site.
        struct MeasureRow: Encodable { let site: String, measure: String, patients: Int, mean_change: Double?, higher_is_better: Bool }
        /// One patient's first and last score of one measure.
        struct CourseRow: Encodable { let site: String, chart: String, measure: String, visits: Int, first: Double, last: Double, change: Double }
        struct View: Encodable {
            let from: String, until: String, sites: [String], mcid: Int, outcomes: [Row], measures: [MeasureRow], courses: [CourseRow]
        }

        func report(_ session: Session, sites: ReportSites, from: CivilDate?, until: CivilDate?) throws -> ReportOutput<View> {
            let found = try ReportData.sessions(session.acting, sites: sites, from: from, until: until, report: .reportOutcomes)
            let label = ReportSitesLabel(found.map(\.place), all: sites == .all)
            let rows = found.flatMap { place, sessions in TreatmentReport.outcomes(sessions).map { (site: place.site.code, row: $0) } }
            let csv = [label.csv("site", ["modality", "scored_sessions", "mean_nprs_change", "patients", "patients_reaching_mcid",
                                          "share_reaching_mcid"])] + rows.map { site, r in
                label.csv(site, [r.modality.rawValue, String(r.scoredSessions), CSVLine.number(r.meanChange), String(r.patients),
                                 String(r.patientsReachingMCID), CSVLine.number(r.shareReachingMCID)])
            }
            let courses = found.map { place, sessions in (site: place.site.code, courses: TreatmentReport.measureCourses(sessions)) }
            let measures = courses.flatMap { site, list in
                TreatmentReport.measureSummaries(list).map {
                    MeasureRow(site: site, measure: $0.measure.rawValue, patients: $0.patients, mean_change: $0.meanChange,
                               higher_is_better: $0.measure.higherIsBetter)
                }
            }
            let courseRows = courses.flatMap { site, list in
                list.map { CourseRow(site: site, chart: $0.chart, measure: $0.measure.rawValue, visits: $0.visits, first: $0.first,
                                     last: $0.last, change: $0.change) }
            }
            let view = View(from: label.from, until: label.until, sites: label.codes, mcid: PainChange.minimalImportantDifference, outcomes: rows.map { site, r in
                Row(site: site, modality: r.modality.rawValue, scored_sessions: r.scoredSessions, mean_nprs_change: r.meanChange, patients: r.patients,
                    patients_reaching_mcid: r.patientsReachingMCID, share_reaching_mcid: r.shareReachingMCID)
            }, measures: measures, courses: courseRows)
            return ReportOutput(view: view, csv: csv) {
                [label.heading("Pain outcomes (NPRS 0–10)"), "", "Mean change per session (before − after)",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), max(0, $0.row.meanChange ?? 0),
                                             $0.row.meanChange.map { JSONValue.format(($0 * 100).rounded() / 100) + " pts" } ?? "—") }),
                 "", "Patients reaching the MCID (≥ \(PainChange.minimalImportantDifference) points)",
                 BarChart.render(rows.map { (label.label($0.site, $0.row.modality.rawValue), $0.row.shareReachingMCID ?? 0,
                                             "\(BarChart.percent($0.row.shareReachingMCID)) (\($0.row.patientsReachingMCID)/\($0.row.patients))") }, scale: 1),
                 "", Self.measuresText(measures, courses: courseRows, label: label)]
                    .joined(separator: "\n")
            }
        }

        /// NDI, ODI and PSFS: the mean change per measure, then each patient's first → last.
        static func measuresText(_ measures: [MeasureRow], courses: [CourseRow], label: ReportSitesLabel) -> String {
            func score(_ value: Double) -> String { JSONValue.format((value * 10).rounded() / 10) }
            func signed(_ value: Double) -> String { (value > 0 ? "+" : value < 0 ? "−" : "±") + score(abs(value)) }
            var table = TextTable("MEASURE", "PATIENTS", "MEAN CHANGE", "BETTER")
            for row in measures {
                table.add(label.label(row.site, row.measure.uppercased()), String(row.patients), row.mean_change.map(signed) ?? "—",
                          row.higher_is_better ? "higher" : "lower")
            }
            var lines = ["NDI, ODI and PSFS from first to last visit (patients with two or more scored visits)", table.render()]
            if !courses.isEmpty {
                var perPatient = TextTable("CHART", "MEASURE", "VISITS", "FIRST", "LAST", "CHANGE")
                for course in courses {
                    perPatient.add(label.label(course.site, course.chart), course.measure.uppercased(), String(course.visits),
                                   score(course.first), score(course.last), signed(course.change))
                }
                lines += ["", perPatient.render()]
            }
            return lines.joined(separator: "\n")
        }
    }
}
