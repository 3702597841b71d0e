import Models

extension Schema {
    /// Version 16 (desk): patients kept right.
    ///
    /// New synced tables, one row per patient, each row's id the patient's own id so that two sites
    /// writing the same patient's row make the same row: `patient_contact` (address and emergency
    /// contact, each its own group), `patient_archive` (whether the chart is archived) and
    /// `patient_alias` (a merged chart: `patient_id` is the chart dropped, `keep_id` the one kept).
    /// No existing table gains a column, so changes from an older release still apply.
    static var v16PatientRecords: String {
        var sql = """
        CREATE TABLE IF NOT EXISTS patient_contact (
            id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL REFERENCES patient(id),
            address TEXT,
            emergency_contact TEXT
        );
        CREATE TABLE IF NOT EXISTS patient_archive (
            id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL REFERENCES patient(id),
            archived INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS patient_alias (
            id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL REFERENCES patient(id),
            keep_id TEXT NOT NULL REFERENCES patient(id),
            merged_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS patient_alias_keep ON patient_alias(keep_id);

        """
        for name in patientRecordTables {
            if let table = SyncSchema.table(name) {
                sql += dropTriggers(for: table)
                sql += triggers(for: table)
            }
        }
        return sql
    }

    static let patientRecordTables = ["patient_contact", "patient_archive", "patient_alias"]
}
