/// The SQL of each migration. Instants are UTC milliseconds; dates are `YYYY-MM-DD` text.
/// Names that people type (handles, slugs, chart numbers) are kept unique by the code that
/// allocates them, not by constraints: two sites working offline may both create one, and sync
/// must keep both and report the clash rather than fail.
enum Schema {
    static let v1Foundation = """
    CREATE TABLE site (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        timezone TEXT NOT NULL,
        is_local INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX site_one_local ON site(is_local) WHERE is_local = 1;

    CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        handle TEXT NOT NULL,
        name TEXT NOT NULL,
        discipline TEXT,
        role TEXT NOT NULL CHECK (role IN ('clinician', 'front-desk', 'admin')),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX staff_handle ON staff(handle);

    CREATE TABLE credential (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        scope TEXT NOT NULL,
        regulator TEXT NOT NULL,
        number TEXT NOT NULL,
        expires TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX credential_staff ON credential(staff_id, scope);

    CREATE TABLE room (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES site(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (site_id, name)
    );

    CREATE TABLE service (
        id TEXT PRIMARY KEY,
        slug TEXT NOT NULL,
        name TEXT NOT NULL,
        duration_min INTEGER NOT NULL CHECK (duration_min > 0),
        discipline TEXT NOT NULL,
        requires TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX service_slug ON service(slug);

    CREATE TABLE patient (
        id TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES site(id),
        chart TEXT NOT NULL,
        chart_seq INTEGER NOT NULL,
        first TEXT NOT NULL,
        last TEXT NOT NULL,
        dob TEXT NOT NULL,
        phone TEXT,
        email TEXT,
        search TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX patient_chart ON patient(chart);
    CREATE INDEX patient_site_seq ON patient(site_id, chart_seq);
    """

    static let v2Scheduling = """
    CREATE TABLE working_hours (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_min INTEGER NOT NULL,
        end_min INTEGER NOT NULL CHECK (end_min > start_min),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX working_hours_staff ON working_hours(staff_id, weekday);

    CREATE TABLE time_off (
        id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL REFERENCES staff(id),
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
        reason TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX time_off_staff ON time_off(staff_id, start_ms);

    CREATE TABLE appointment (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES patient(id),
        staff_id TEXT NOT NULL REFERENCES staff(id),
        room_id TEXT NOT NULL REFERENCES room(id),
        service_id TEXT NOT NULL REFERENCES service(id),
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL CHECK (end_ms > start_ms),
        status TEXT NOT NULL CHECK (status IN ('booked', 'checked-in', 'completed', 'cancelled', 'no-show')),
        late_cancel INTEGER NOT NULL DEFAULT 0,
        cancel_reason TEXT,
        series_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX appointment_staff_start ON appointment(staff_id, start_ms);
    CREATE INDEX appointment_room_start ON appointment(room_id, start_ms);
    CREATE INDEX appointment_patient_start ON appointment(patient_id, start_ms);
    CREATE INDEX appointment_start ON appointment(start_ms);
    CREATE TABLE schedule_bound (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO schedule_bound (key, value) VALUES ('max_duration_ms', 0);
    CREATE INDEX appointment_series ON appointment(series_id, start_ms) WHERE series_id IS NOT NULL;
    """
}
