/// The rows an import's clinician-signature checks read besides the change log: a clinician key's
/// row (`staff_key`) and whether an amendment carries a signature (`amendment_signature`).
public struct ImportedSignatureStore {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A clinician key's row as stored here.
    public struct StaffKey {
        public let siteCode: String
        public let keyID: String
        public let publicKey: String
        public let retiredAt: Int64?
    }

    /// The key row of that id, or nil when it is not here.
    public func staffKey(id: String) throws -> StaffKey? {
        try db.first("SELECT site_code, key_id, public_key, retired_at FROM staff_key WHERE id = ?", [id]).map {
            StaffKey(siteCode: $0.string(0), keyID: $0.string(1), publicKey: $0.string(2), retiredAt: $0.optionalInt(3))
        }
    }

    /// True when a signature of the amendment is stored.
    public func isSigned(amendmentID: String) throws -> Bool {
        try db.first("SELECT 1 FROM amendment_signature WHERE amendment_id = ?", [amendmentID]) != nil
    }
}
