import ArgumentParser
import Foundation
import Models
import Storage

extension ReportCommand {
    /// The sessions of the range, read as an audited clinical read (needs `--as`; not front desk).
    static func sessions(_ session: Session, range: ReportRange, report: Action) throws -> [ReportSession] {
        return try ReportData.sessions(session.acting, from: range.start, to: range.end, report: report)
    }

    struct Modalities: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "modalities", 
            abstract: "Sessions by modality (dry needling, acupuncture, mixed, other) and needles per session.",
            discussion: "A session is a completed or checked-in visit, or one with a signed note; its modality comes from the signed note's needling (acupoints → acupuncture, muscles → dry needling). Needs --as (clinical data, audited).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        func validate() throws { try options.checkFormat(json: global.json) }

        func run() throws {
            let session = try global.open()
            let range = try options.range(session)
            let rows = TreatmentReport.modalities(try ReportCommand.sessions(session, range: range, report: .reportModalities))
            if options.csv {
                print("modality,sessions,share,needles,needles_per_session")
                for r in rows {
                    print(CSVLine.make([r.modality.rawValue, String(r.sessions), CSVLine.number(r.share), String(r.needles), CSVLine.number(r.needlesPerSession)]))
                }
                return
            }
            struct Row: Encodable { let modality: String, sessions: Int, share: Double?, needles: Int, needles_per_session: Double? }
            struct View: Encodable { let from: String, until: String, modalities: [Row] }
            let view = View(from: range.from, until: range.until, modalities: rows.map {
                Row(modality: $0.modality.rawValue, sessions: $0.sessions, share: $0.share, needles: $0.needles, needles_per_session: $0.needlesPerSession)
            })
            try session.emit(view) {
                [range.heading("Modalities"), "", "Sessions",
                 BarChart.render(rows.map { ($0.modality.rawValue, Double($0.sessions), "\($0.sessions) (\(BarChart.percent($0.share)))") }),
                 "", "Needles per session",
                 BarChart.render(rows.map { ($0.modality.rawValue, $0.needlesPerSession ?? 0, $0.needlesPerSession.map { JSONValue.format(($0 * 10).rounded() / 10) } ?? "—") })]
                    .joined(separator: "\n")
            }
        }
    }

    struct Outcomes: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "outcomes", 
            abstract: "Mean NPRS change per modality and the share of patients reaching the minimal clinically important difference (2 points).",
            discussion: "Mean change = mean of (pain before − pain after) over sessions with both scores. A patient reaches the MCID when the first session's 'before' minus the last session's 'after' in the range is at least 2. Signed notes only. Needs --as (clinical data, audited).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportCommand.Options

        func validate() throws { try options.checkFormat(json: global.json) }

        func run() throws {
            let session = try global.open()
            let range = try options.range(session)
            let rows = TreatmentReport.outcomes(try ReportCommand.sessions(session, range: range, report: .reportOutcomes))
            if options.csv {
                print("modality,scored_sessions,mean_nprs_change,patients,patients_reaching_mcid,share_reaching_mcid")
                for r in rows {
                    print(CSVLine.make([r.modality.rawValue, String(r.scoredSessions), CSVLine.number(r.meanChange), String(r.patients),
                                        String(r.patientsReachingMCID), CSVLine.number(r.shareReachingMCID)]))
                }
                return
            }
            struct Row: Encodable {
                let modality: String, scored_sessions: Int, mean_nprs_change: Double?, patients: Int, patients_reaching_mcid: Int, share_reaching_mcid: Double?
            }
            struct View: Encodable { let from: String, until: String, mcid: Int, outcomes: [Row] }
            let view = View(from: range.from, until: range.until,
                            mcid: PainChange.minimalImportantDifference, outcomes: rows.map {
                Row(modality: $0.modality.rawValue, scored_sessions: $0.scoredSessions, mean_nprs_change: $0.meanChange, patients: $0.patients,
                    patients_reaching_mcid: $0.patientsReachingMCID, share_reaching_mcid: $0.shareReachingMCID)
            })
            try session.emit(view) {
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
