import Models

extension Schema {
    /// Version 11: a staff member may hold several roles and may be deactivated, both synced as the
    /// staff row's `access` group so that a deactivation takes effect at every site. `roles` is the
    /// comma-separated list (NULL on rows made before: the single `role` then stands); `role` keeps
    /// the first of them, which the older check constraint still accepts. The two columns are added
    /// by `Migrations.addedColumns`; this script renews the staff table's capture triggers.
    static var v11StaffAccess: String {
        var sql = ""
        if let staff = SyncSchema.table("staff") {
            sql += dropTriggers(for: staff)
            sql += triggers(for: staff)
        }
        return sql
    }
}
