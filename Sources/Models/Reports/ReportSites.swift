/// Which sites a report covers. An appointment belongs to its room's site, so rooms of two sites that
/// share a name are never counted together.
public enum ReportSites: Sendable, Equatable {
    /// This database's own site (the default).
    case here
    /// Another known site, by code.
    case site(String)
    /// Every site this database knows, each counted apart.
    case all

    /// `--site CODE` or `--all-sites` (never both: the command line refuses that), else this site.
    public init(code: String?, all: Bool) {
        if all {
            self = .all
        } else if let code {
            self = .site(code)
        } else {
            self = .here
        }
    }
}
