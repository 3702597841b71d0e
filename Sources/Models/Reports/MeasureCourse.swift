/// One patient's course on one outcome measure: the first and last scores recorded in the range.
public struct MeasureCourse: Sendable, Equatable {
    public var measure: OutcomeMeasure
    public var patientID: String
    public var chart: String
    /// Sessions that recorded the measure.
    public var visits: Int
    public var first: Double
    public var last: Double
    /// Last − first: for NDI and ODI a fall is an improvement, for PSFS a rise.
    public var change: Double { last - first }

    public init(measure: OutcomeMeasure, patientID: String, chart: String, visits: Int, first: Double, last: Double) {
        self.measure = measure
        self.patientID = patientID
        self.chart = chart
        self.visits = visits
        self.first = first
        self.last = last
    }
}

/// One measure over all patients with at least two scored visits: how many, and their mean change.
public struct MeasureSummary: Sendable, Equatable {
    public var measure: OutcomeMeasure
    public var patients: Int
    public var meanChange: Double?

    public init(measure: OutcomeMeasure, patients: Int, meanChange: Double?) {
        self.measure = measure
        self.patients = patients
        self.meanChange = meanChange
    }
}

extension OutcomeMeasure {
    /// The measures followed from first to last visit in the outcomes report (NPRS has its own section).
    public static let followed: [OutcomeMeasure] = [.ndi, .odi, .psfs]

    /// Whether a higher score means the patient is better (PSFS) or worse (NDI, ODI, NPRS).
    public var higherIsBetter: Bool { self == .psfs }
}

extension TreatmentReport {
    /// Each patient's course on NDI, ODI and PSFS: first to last scored session in date order, for
    /// patients with at least two scored sessions of that measure (one score shows no change).
    public static func measureCourses(_ sessions: [ReportSession]) -> [MeasureCourse] {
        let ordered = sessions.sorted { ($0.start, $0.patientID) < ($1.start, $1.patientID) }
        return OutcomeMeasure.followed.flatMap { measure in
            Set(ordered.map(\.patientID)).sorted().compactMap { patientID -> MeasureCourse? in
                let scored = ordered.filter { $0.patientID == patientID && $0.measures[measure] != nil }
                guard scored.count >= 2, let first = scored.first, let last = scored.last,
                      let firstScore = first.measures[measure], let lastScore = last.measures[measure] else { return nil }
                return MeasureCourse(measure: measure, patientID: patientID, chart: first.chart, visits: scored.count,
                                     first: firstScore, last: lastScore)
            }
        }
    }

    /// One line per measure (NDI, ODI, PSFS): patients followed and their mean change.
    public static func measureSummaries(_ courses: [MeasureCourse]) -> [MeasureSummary] {
        OutcomeMeasure.followed.map { measure in
            let list = courses.filter { $0.measure == measure }
            return MeasureSummary(measure: measure, patients: list.count,
                                  meanChange: ratio(list.reduce(0) { $0 + $1.change }, Double(list.count)))
        }
    }
}
