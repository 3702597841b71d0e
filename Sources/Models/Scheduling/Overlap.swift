/// Which resource of a booking clashed with an existing appointment.
public enum ClashResource: String, Sendable, Codable {
    case practitioner, room, patient
}

/// One existing appointment that a requested interval runs into.
public struct Clash: Sendable, Equatable {
    public var resource: ClashResource
    public var existing: TimeSpan

    public init(resource: ClashResource, existing: TimeSpan) {
        self.resource = resource
        self.existing = existing
    }
}

/// The bounded range an overlap query may look in, so it uses the (resource, start) index
/// instead of scanning: any overlapping appointment starts in `(start − maxDuration, end)`.
public struct OverlapWindow: Sendable, Equatable {
    public let lowerExclusive: Int64
    public let upperExclusive: Int64

    public init(for span: TimeSpan, maxDurationMillis: Int64) {
        lowerExclusive = span.start - max(maxDurationMillis, 0)
        upperExclusive = span.end
    }

    /// True when an appointment starting at `start` can overlap the requested span at all.
    public func admits(start: Int64) -> Bool { start > lowerExclusive && start < upperExclusive }
}

/// The first interval of `existing` that overlaps `span` (half-open: touching is fine).
public func firstOverlap(of span: TimeSpan, in existing: [TimeSpan]) -> TimeSpan? {
    existing.first { $0.overlaps(span) }
}
