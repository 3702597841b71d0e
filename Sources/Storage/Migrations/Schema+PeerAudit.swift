extension Schema {
    /// What each side of an exchange keeps of the sender's audit log, so a site notices when a
    /// peer's log no longer extends what that peer showed it before (entries cut from its end or
    /// rewritten). As sender, per recipient: `export_serial` numbers the logs written for it and
    /// `audit_sent` holds the audit heads they carried (a JSON array of `[count, hash]`, newest last).
    /// As recipient, per sender: the head its newest log carried (`audit_serial`, `audit_count`,
    /// `audit_hash`) and when a log last showed that head gone (`audit_rewound_at`).
    /// The columns are added by `Migrations.addedColumns`, only where missing.
    static let v12PeerAudit = ""
}
