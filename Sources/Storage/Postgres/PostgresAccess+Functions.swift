import Crypto
import Foundation
import Models

extension PostgresAccess {
    /// The clinical read functions. Each runs as the owner (who may read note content), appends one
    /// audit entry through `clinic.audit_append` with actor `session_user`, the login that connected,
    /// and writes the same fact, ids only, to the server log with `RAISE LOG`: PostgreSQL has no
    /// autonomous transactions, so a reader who rolls back loses the audit row but not the log line.
    var readFunctions: [String] {
        let now = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
        let header = "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = clinic, pg_temp"
        return [
            """
            CREATE FUNCTION clinic.read_note(p_id text) RETURNS SETOF clinic.note \(header) AS $$
            DECLARE
                patient text;
            BEGIN
                SELECT n.patient_id INTO patient FROM clinic.note n WHERE n.id = p_id;
                PERFORM clinic.audit_append(\(now), session_user::text, \(literal(Action.noteRead.rawValue)), 'note', p_id, patient,
                                            CASE WHEN patient IS NULL THEN 'not-found' ELSE \(literal(AuditedSession.done)) END);
                RAISE LOG 'clinic: % read note % of patient %', session_user, p_id, patient;
                RETURN QUERY SELECT * FROM clinic.note n WHERE n.id = p_id;
            END
            $$
            """,
            """
            CREATE FUNCTION clinic.notes_of(p_patient text) RETURNS SETOF clinic.note \(header) AS $$
            BEGIN
                PERFORM clinic.audit_append(\(now), session_user::text, \(literal(Action.notesRead.rawValue)), 'patient', p_patient, p_patient,
                                            \(literal(AuditedSession.done)));
                RAISE LOG 'clinic: % read the notes of patient %', session_user, p_patient;
                RETURN QUERY SELECT * FROM clinic.note n WHERE n.patient_id = p_patient ORDER BY n.session_date, n.id;
            END
            $$
            """,
            // The query is not logged or audited (it may hold a name); the ids it finds are read through read_note.
            """
            CREATE FUNCTION clinic.search_notes(p_query text, p_limit integer) RETURNS TABLE (note_id text, rank real) \(header) AS $$
            DECLARE
                found integer;
            BEGIN
                RETURN QUERY
                    SELECT t.note_id, max(ts_rank(t.search, q))::real FROM clinic.note_text t,
                           plainto_tsquery('simple'::regconfig, clinic.search_text(p_query)) q
                    WHERE t.search @@ q GROUP BY t.note_id ORDER BY 2 DESC, 1 LIMIT greatest(p_limit, 0);
                GET DIAGNOSTICS found = ROW_COUNT;
                PERFORM clinic.audit_append(\(now), session_user::text, \(literal(Action.search.rawValue)), 'note', NULL, NULL,
                                            \(literal(AuditedSession.done)));
                RAISE LOG 'clinic: % searched notes, % found', session_user, found;
            END
            $$
            """,
        ]
    }

    /// The pattern a site code must match in a login name (no underscore: the first `_` ends it).
    public static let sitePattern = "^[a-z][a-z0-9]{0,15}$"
    /// The pattern a handle must match (`Practitioner.validate(handle:)`'s rule).
    public static let handlePattern = "^[a-z][a-z0-9_.-]{1,31}$"
    /// A SCRAM-SHA-256 verifier as `pg_authid` stores it.
    public static let verifierPattern = #"^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$"#

    /// `clinic.create_staff_role(site, handle, role, verifier)`: the login `<site>_<handle>` with that
    /// SCRAM verifier, member of the group for `role` (a `StaffRole` spelling or `sync`), allowed to
    /// connect to this database, its idle transactions ended after 30 s. It runs as the role that ran
    /// init (which may create roles) and is executable by admins only.
    ///
    /// It takes a verifier (`PostgresAccess.scramVerifier`), never a password: the call's text can
    /// reach the server log (`log_statement`, or the STATEMENT line of a failed call), and setting
    /// `log_statement` takes a superuser. A plain password is refused without being repeated.
    var staffRoleFunction: [String] {
        let cases = Group.allCases.map { "WHEN \(literal($0.argument)) THEN \(literal(role($0)))" }.joined(separator: " ")
        let refuse = "USING ERRCODE = '22023'"
        return [
            """
            CREATE FUNCTION clinic.create_staff_role(p_site text, p_handle text, p_role text, p_password text) RETURNS text
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            DECLARE
                login text;
                grp text := CASE p_role \(cases) END;
            BEGIN
                IF p_site IS NULL OR p_site !~ \(literal(Self.sitePattern)) THEN
                    RAISE EXCEPTION 'create_staff_role: the site must be 1-16 lower-case letters or digits, starting with a letter' \(refuse);
                END IF;
                IF p_handle IS NULL OR p_handle !~ \(literal(Self.handlePattern)) THEN
                    RAISE EXCEPTION 'create_staff_role: the handle must be 2-32 lower-case letters, digits, ''.'', ''-'' or ''_'', starting with a letter' \(refuse);
                END IF;
                IF grp IS NULL THEN
                    RAISE EXCEPTION 'create_staff_role: the role must be one of %', \(literal(Group.allCases.map(\.argument).joined(separator: ", "))) \(refuse);
                END IF;
                IF p_password IS NULL OR p_password !~ \(literal(Self.verifierPattern)) THEN
                    RAISE EXCEPTION 'create_staff_role: the password must be given as a SCRAM-SHA-256 verifier' \(refuse);
                END IF;
                login := p_site || '_' || p_handle;
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
                    RAISE EXCEPTION 'create_staff_role: that login role exists' USING ERRCODE = '42710';
                END IF;
                EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I PASSWORD %L', login, grp, p_password);
                EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '30s');
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), login);
                RETURN login;
            END
            $$
            """,
            "REVOKE ALL ON FUNCTION clinic.create_staff_role(text, text, text, text) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION clinic.create_staff_role(text, text, text, text) TO \(identifier(role(.admin)))",
        ]
    }

    /// A SCRAM-SHA-256 verifier for `password`, as PostgreSQL stores one (RFC 5802/7677, 4096 rounds),
    /// to hand `create_staff_role` in place of the password. The password's UTF-8 bytes are used as
    /// they are (PostgreSQL applies SASLprep, which leaves ASCII alone).
    public static func scramVerifier(password: String, salt: [UInt8]? = nil, iterations: Int = 4096) -> String {
        let salt = salt ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
        let key = SymmetricKey(data: Array(password.utf8))
        var block = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var salted = block
        for _ in 1..<iterations {
            block = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for index in salted.indices { salted[index] ^= block[index] }
        }
        let saltedKey = SymmetricKey(data: salted)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: saltedKey))
        let storedKey = Array(SHA256.hash(data: clientKey))
        let serverKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: saltedKey))
        func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
        return "SCRAM-SHA-256$\(iterations):\(base64(salt))$\(base64(storedKey)):\(base64(serverKey))"
    }
}
