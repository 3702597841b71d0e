import Models

/// A day a site is closed, as `site show`, `site closed` and `schedule` print it.
struct ClosureView: Encodable {
    let site: String
    let date: String
    let reason: String?

    init(_ closure: SiteClosure) {
        site = closure.siteCode
        date = closure.date.description
        reason = closure.reason
    }

    /// `2026-12-25 (Christmas)`.
    var text: String { date + (reason.map { " (\($0))" } ?? "") }
}
