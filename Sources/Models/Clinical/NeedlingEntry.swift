import Foundation

/// Needling techniques as clinicians write them.
public enum NeedlingTechnique: String, Sendable, Codable, CaseIterable {
    case `static`, pistoning, fanning, rotation, twirling
    case liftingThrusting = "lifting-thrusting"
    case sparrowPecking = "sparrow-pecking"
    case superficial
}

/// Electrical stimulation through the needles: frequency and duration.
public struct ElectroStim: Sendable, Hashable, Codable {
    public var frequencyHz: Double
    public var minutes: Int

    public init(frequencyHz: Double, minutes: Int) {
        self.frequencyHz = frequencyHz
        self.minutes = minutes
    }

    /// Parses `2Hz,15m` (frequency 0.5–200 Hz, duration as a duration).
    public static func parse(_ text: String) throws -> ElectroStim {
        let parts = text.lowercased().replacingOccurrences(of: " ", with: "").split(separator: ",")
        guard parts.count == 2, parts[0].hasSuffix("hz"), let hz = Double(parts[0].dropLast(2)), hz.isFinite, (0.5...200).contains(hz),
              let minutes = try? DurationText.minutes(String(parts[1])), minutes <= 120 else {
            throw ClinicError(.invalidEstim, "\(.estim) must look like \"2Hz,15m\" (0.5–200 Hz, up to 2h)")
        }
        return ElectroStim(frequencyHz: hz, minutes: minutes)
    }

    public var description: String { "\(JSONValue.format(frequencyHz))Hz,\(minutes)m" }
}

extension NeedleSide {
    /// The side recorded for a needle site: the one given, else the midline for a GV or CV point; a paired
    /// point or a muscle needs one (64 `side-required`).
    public static func resolved(_ given: NeedleSide?, point: Acupoint?) throws -> NeedleSide {
        if let given { return given }
        guard let point, point.isMidline else {
            throw ClinicError(.sideRequired, "\(.side) is required: left, right, bilateral or midline")
        }
        return .midline
    }
}

/// One needle site of a session: a WHO acupoint or a muscle's trigger point, with how it was needled.
public struct NeedlingEntry: Sendable, Equatable {
    public var point: Acupoint?
    public var muscle: Muscle?
    public var side: NeedleSide
    public var gaugeMillimetres: Double?
    public var lengthMillimetres: Double?
    public var depthMillimetres: Double?
    public var technique: NeedlingTechnique?
    public var retentionMinutes: Int?
    public var electroStim: ElectroStim?
    /// Needles at this site; for `bilateral`, both sides together.
    public var count: Int

    public init(point: Acupoint?, muscle: Muscle?, side: NeedleSide, gaugeMillimetres: Double? = nil, lengthMillimetres: Double? = nil,
                depthMillimetres: Double? = nil, technique: NeedlingTechnique? = nil, retentionMinutes: Int? = nil,
                electroStim: ElectroStim? = nil, count: Int = 1) {
        self.point = point
        self.muscle = muscle
        self.side = side
        self.gaugeMillimetres = gaugeMillimetres
        self.lengthMillimetres = lengthMillimetres
        self.depthMillimetres = depthMillimetres
        self.technique = technique
        self.retentionMinutes = retentionMinutes
        self.electroStim = electroStim
        self.count = count
    }

    /// Checks the numbers a clinician typed; each refusal names the option.
    public func validate() throws {
        guard (point == nil) != (muscle == nil) else {
            throw ClinicError(.invalidNeedleSite, "give exactly one of \(.point) or \(.muscle)")
        }
        if let gaugeMillimetres, !(0.10...0.50).contains(gaugeMillimetres) {
            throw ClinicError(.outOfRange, "\(.gauge) must be a needle diameter between 0.10 and 0.50 mm")
        }
        if let lengthMillimetres, !(5...150).contains(lengthMillimetres) {
            throw ClinicError(.outOfRange, "\(.needleLength) must be between 5 and 150 mm")
        }
        if let depthMillimetres {
            guard depthMillimetres > 0, depthMillimetres <= (lengthMillimetres ?? 150) else {
                throw ClinicError(.outOfRange, "\(.needleDepth) must be above 0 mm and no longer than the needle")
            }
        }
        if let retentionMinutes, !(0...120).contains(retentionMinutes) {
            throw ClinicError(.outOfRange, "\(.retention) must be at most 2h")
        }
        guard (1...100).contains(count), side != .bilateral || count >= 2 else {
            throw ClinicError(.outOfRange, "\(.needleCount) must be 1–100 needles (at least 2 for bilateral)")
        }
    }

    /// The scopes the practitioner must hold on the session date for this entry.
    public var requiredScopes: [Scope] {
        var scopes: [Scope] = [point != nil ? .acupuncture : .dryNeedling]
        if electroStim != nil { scopes.append(.electroStim) }
        return scopes
    }

    /// The interventions that need the patient's consent.
    public var interventions: [Intervention] {
        var list: [Intervention] = [point != nil ? .acupuncture : .dryNeedling]
        if electroStim != nil { list.append(.electroStim) }
        return list
    }

    /// The site as the contraindication rules see it.
    public var site: NeedlingSite {
        NeedlingSite(point: point, muscle: muscle, side: side, depthMillimetres: depthMillimetres, electroStim: electroStim != nil)
    }

    /// "LI4" or "upper trapezius", as tables and FHIR bodySite text show it.
    public var siteName: String { point?.code ?? muscle?.name ?? "?" }

    /// Parses a retention time (`20m`); `0m` is a needle in and out at once, which a duration otherwise refuses.
    public static func retentionMinutes(_ text: String) throws -> Int {
        text == "0m" ? 0 : try DurationText.minutes(text)
    }

    /// Parses `15mm`, `15` or `1.5cm` into millimetres.
    public static func millimetres(_ text: String, field: ClinicField) throws -> Double {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        let value: Double?
        if lower.hasSuffix("mm") { value = Double(lower.dropLast(2)) } else if lower.hasSuffix("cm") { value = Double(lower.dropLast(2)).map { $0 * 10 } } else { value = Double(lower) }
        guard let value, value.isFinite else {
            throw ClinicError(.invalidNumber, "\(field) must be a length such as 15mm")
        }
        return value
    }
}
