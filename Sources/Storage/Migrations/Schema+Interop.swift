extension Schema {
    /// Calendar export: `sequence` counts the changes of an appointment (iCalendar SEQUENCE, so
    /// clients replace their copy); `original_start_ms` keeps the start a recurring series gave an
    /// occurrence, so a moved occurrence is exported as an override of its original slot. Rows
    /// booked before this migration take their current start (their moves cannot be recovered).
    static let v5Interop = """
    ALTER TABLE appointment ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE appointment ADD COLUMN original_start_ms INTEGER;
    UPDATE appointment SET original_start_ms = start_ms;
    """
}
