import Crypto
import Foundation

/// A login session's secret: 256 random bits, kept in a 0600 file on the workstation. Only its
/// SHA-256 is stored in the database, so a copy of the database opens no session.
public enum SessionToken {
    /// How long a session lasts unless `--for` says otherwise.
    public static let defaultMinutes = 10 * 60
    /// The longest session `--for` may ask for: one working day and a night.
    public static let maximumMinutes = 24 * 60

    /// A new token, 64 hex digits.
    public static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { SHA256Hex.hex($0) }
    }

    /// What the database keeps of a token.
    public static func hash(_ token: String) -> String {
        SHA256Hex.of(token)
    }

    /// True for text shaped like a token (a file holding anything else is ignored).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
