import Models
import Storage

/// Multi-site change-log exchange. The engine arrives with the sync issue; this namespace
/// holds the format identity that export and import will share.
public enum SyncFormat {
    /// The change-log format name written in every header.
    public static let name = "clinic-changelog"
    /// The newest change-log format version this binary reads and writes.
    public static let version = 1
}
