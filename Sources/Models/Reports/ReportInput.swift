/// An appointment as the reports see it: who, where, how long and what became of it.
public struct ReportAppointment: Sendable, Equatable {
    public var practitioner: String
    public var room: String
    public var span: TimeSpan
    public var status: AppointmentStatus
    public var lateCancel: Bool

    public init(practitioner: String, room: String, span: TimeSpan, status: AppointmentStatus, lateCancel: Bool = false) {
        self.practitioner = practitioner
        self.room = room
        self.span = span
        self.status = status
        self.lateCancel = lateCancel
    }
}

/// A practitioner's availability: weekly hours less time off.
public struct ReportAvailability: Sendable, Equatable {
    public var practitioner: String
    public var hours: [WorkingHours]
    public var timeOff: [TimeSpan]

    public init(practitioner: String, hours: [WorkingHours], timeOff: [TimeSpan] = []) {
        self.practitioner = practitioner
        self.hours = hours
        self.timeOff = timeOff
    }
}

/// A treatment session (a completed or checked-in visit, or one with a signed note) and what its
/// signed note recorded.
public struct ReportSession: Sendable, Equatable {
    public var patientID: String
    public var start: Int64
    public var acupoints: Int
    public var muscles: Int
    public var needlesInserted: Int
    public var painBefore: Int?
    public var painAfter: Int?
    /// The chart number, for the per-patient lines of the outcomes report.
    public var chart: String
    /// The other outcome measures the signed note recorded (NDI 0–50, ODI 0–100, PSFS 0–10).
    public var measures: [OutcomeMeasure: Double]

    public init(patientID: String, start: Int64, acupoints: Int = 0, muscles: Int = 0, needlesInserted: Int = 0,
                painBefore: Int? = nil, painAfter: Int? = nil, chart: String = "", measures: [OutcomeMeasure: Double] = [:]) {
        self.chart = chart
        self.measures = measures
        self.patientID = patientID
        self.start = start
        self.acupoints = acupoints
        self.muscles = muscles
        self.needlesInserted = needlesInserted
        self.painBefore = painBefore
        self.painAfter = painAfter
    }

    /// Acupoints only → acupuncture; muscles only → dry needling; both → mixed; none → other.
    public var modality: Modality {
        switch (acupoints > 0, muscles > 0) {
        case (true, false): return .acupuncture
        case (false, true): return .dryNeedling
        case (true, true): return .mixed
        case (false, false): return .other
        }
    }
}

/// How a session was treated, as the modality and outcome reports group it.
public enum Modality: String, Sendable, CaseIterable, Codable {
    case dryNeedling = "dry-needling"
    case acupuncture
    case mixed
    case other
}

/// A ratio that is undefined (nil) rather than NaN when nothing was counted.
func ratio(_ part: Double, _ whole: Double) -> Double? {
    whole > 0 ? part / whole : nil
}
