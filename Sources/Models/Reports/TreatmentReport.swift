/// Sessions and needles of one modality.
public struct ModalityRow: Sendable, Equatable {
    public var modality: Modality
    public var sessions: Int
    public var share: Double?
    public var needles: Int
    /// Mean needles inserted per session of this modality.
    public var needlesPerSession: Double?
}

/// Pain outcomes of one modality.
public struct OutcomeRow: Sendable, Equatable {
    public var modality: Modality
    /// Sessions with both an NPRS before and after.
    public var scoredSessions: Int
    /// Mean of (before − after) over those sessions: positive means less pain.
    public var meanChange: Double?
    /// Patients with a baseline and a final score in this modality.
    public var patients: Int
    /// Patients whose pain fell by at least the MCID from their first session's "before" to
    /// their last session's "after".
    public var patientsReachingMCID: Int
    public var shareReachingMCID: Double?

    public init(modality: Modality, scoredSessions: Int, meanChange: Double?, patients: Int, patientsReachingMCID: Int, shareReachingMCID: Double?) {
        self.modality = modality
        self.scoredSessions = scoredSessions
        self.meanChange = meanChange
        self.patients = patients
        self.patientsReachingMCID = patientsReachingMCID
        self.shareReachingMCID = shareReachingMCID
    }
}

/// The modalities and outcomes reports, computed from sessions' signed notes.
public enum TreatmentReport {
    /// One row per modality (dry needling, acupuncture, mixed, other), in that order.
    public static func modalities(_ sessions: [ReportSession]) -> [ModalityRow] {
        Modality.allCases.map { modality in
            let list = sessions.filter { $0.modality == modality }
            let needles = list.reduce(0) { $0 + $1.needlesInserted }
            return ModalityRow(modality: modality, sessions: list.count, share: ratio(Double(list.count), Double(sessions.count)),
                               needles: needles, needlesPerSession: ratio(Double(needles), Double(list.count)))
        }
    }

    /// One row per modality: mean within-session NPRS change and the share of patients whose pain
    /// fell by at least `mcid` over their course (first "before" to last "after").
    public static func outcomes(_ sessions: [ReportSession], mcid: Int = PainChange.minimalImportantDifference) -> [OutcomeRow] {
        Modality.allCases.map { modality in
            let list = sessions.filter { $0.modality == modality }.sorted { ($0.start, $0.patientID) < ($1.start, $1.patientID) }
            let changes = list.compactMap { session -> Int? in
                guard let before = session.painBefore, let after = session.painAfter else { return nil }
                return before - after
            }
            var patients = 0, reached = 0
            for patientID in Set(list.map(\.patientID)).sorted() {
                let course = list.filter { $0.patientID == patientID }
                guard let baseline = course.first(where: { $0.painBefore != nil })?.painBefore,
                      let final = course.last(where: { $0.painAfter != nil })?.painAfter else { continue }
                patients += 1
                if baseline - final >= mcid { reached += 1 }
            }
            return OutcomeRow(modality: modality, scoredSessions: changes.count,
                              meanChange: ratio(Double(changes.reduce(0, +)), Double(changes.count)),
                              patients: patients, patientsReachingMCID: reached,
                              shareReachingMCID: ratio(Double(reached), Double(patients)))
        }
    }
}
