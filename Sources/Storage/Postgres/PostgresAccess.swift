import Foundation
import Models

/// Who may touch what in a PostgreSQL clinic database (issue 28, design §3 "Roles, grants, RLS and
/// functions"): the statements `clinic init` runs after `PostgresSchema.setupStatements`.
///
/// Nothing here is a second copy of the permission table. Each group role stands for one `StaffRole`
/// (plus `sync`), and its privileges are the union of what the tiers it belongs to need, where
/// `Action.roles` alone says which tiers those are. What a tier needs is said once, per tier, in
/// `tierNeeds` (PostgresAccess+Tiers.swift); tables holding clinical content (`SyncSchema.clinicalTables`
/// and what carries their values) are never granted to a tier other than `clinical`, whatever that list says.
///
/// - A NOLOGIN `<db>_owner` owns schema `clinic` and every table, sequence and function in it (but
///   `create_staff_role`, owned by the role that runs init, which may create roles).
/// - PUBLIC loses everything on the schema, its tables and functions, and CONNECT on the database;
///   CONNECT is granted per login role, since group roles are cluster-wide and two sites may share a cluster.
/// - Every trigger function runs as the owner (SECURITY DEFINER, fixed search_path), so a write by a
///   role that may not read `note_text`, `change_staging` or `audit` still keeps them current.
/// - Clinicians read note content only through `read_note`, `notes_of` and `search_notes`, which
///   append an audit entry (actor `session_user`) and `RAISE LOG` the ids.
/// - `login_session` and `staff_secret` rows are visible to their own login only (row-level security),
///   a login `<site>_<handle>` being the staff member with that handle.
public struct PostgresAccess: Sendable {
    /// The database the statements are for (CONNECT and the owner's name come from it).
    public let database: String
    /// The prefix of the cluster-wide group roles: `clinic` makes `clinic_front_desk` and the rest.
    /// Tests pass their own so they can drop what they made.
    public let groupPrefix: String

    public init(database: String, groupPrefix: String = "clinic") {
        self.database = database
        self.groupPrefix = groupPrefix
    }

    /// The kinds of login a staff role can be: one per `StaffRole`, and `sync` for the exchange of
    /// changes (whose lines carry note content, so it is not the desk's).
    public enum Group: String, CaseIterable, Sendable {
        case frontDesk = "front_desk", clinician, admin, sync

        /// The staff role it stands for (none for sync).
        public var staffRole: StaffRole? {
            switch self {
            case .frontDesk: return .frontDesk
            case .clinician: return .clinician
            case .admin: return .admin
            case .sync: return nil
            }
        }

        /// The name `create_staff_role` takes: the staff role's own spelling, or `sync`.
        public var argument: String { staffRole?.rawValue ?? "sync" }

        /// The tiers of the permission table this group's members act in (from `Action.roles`).
        public var tiers: [Action.Tier] {
            guard let role = staffRole else { return [] }
            return Action.Tier.allCases.filter { tier in
                Action.allCases.contains { $0.tier == tier && $0.roles.contains(role) }
            }
        }
    }

    /// The group role's name in the cluster.
    public func role(_ group: Group) -> String { "\(groupPrefix)_\(group.rawValue)" }

    /// The NOLOGIN role owning schema clinic and everything in it.
    public var owner: String { "\(database)_owner" }

    /// The functions through which clinicians read note content.
    public static let clinicalReadFunctions = ["read_note(text)", "notes_of(text)", "search_notes(text, integer)"]

    /// Every statement, in order, each run on its own, after `PostgresSchema.setupStatements` and
    /// `PostgresCapture.setupStatements`. The role running them must be allowed to create roles, own the
    /// database (or hold CONNECT with grant option) and become the owner role.
    public var setupStatements: [String] {
        groupRoles + [sessionStaffFunction] + readFunctions + ownership + triggerFunctionsAsOwner + revokes + tableGrants
            + rowSecurity + functionGrants + staffRoleFunction
    }

    // MARK: Roles and ownership

    /// The group roles, made only when missing (they are cluster-wide), and the owner.
    var groupRoles: [String] {
        (Group.allCases.map(role) + [owner]).map { name in
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(literal(name))) THEN
                    CREATE ROLE \(identifier(name)) NOLOGIN;
                END IF;
            END $$
            """
        } + ["GRANT \(identifier(owner)) TO CURRENT_USER"]
    }

    /// Schema, tables, sequences and functions of clinic handed to the owner.
    var ownership: [String] {
        [
            "ALTER SCHEMA clinic OWNER TO \(identifier(owner))",
            """
            DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'clinic' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
                    EXECUTE format('ALTER TABLE %s OWNER TO %I', r.name, \(literal(owner)));
                END LOOP;
                FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = 'clinic' LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.name, \(literal(owner)));
                END LOOP;
            END $$
            """,
        ]
    }

    /// PUBLIC gets nothing; the audit log is changed by no one, its owner included (the guard
    /// triggers refuse it as well).
    var revokes: [String] {
        [
            "REVOKE ALL ON SCHEMA clinic FROM PUBLIC",
            "REVOKE ALL ON ALL TABLES IN SCHEMA clinic FROM PUBLIC",
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA clinic FROM PUBLIC",
            "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA clinic FROM PUBLIC",
            "REVOKE CONNECT, TEMPORARY ON DATABASE \(identifier(database)) FROM PUBLIC",
            "REVOKE UPDATE, DELETE, TRUNCATE ON clinic.audit FROM \(identifier(owner))",
        ] + Group.allCases.map { "GRANT USAGE ON SCHEMA clinic TO \(identifier(role($0)))" }
    }

    /// Each group's table privileges, from the tiers it acts in.
    var tableGrants: [String] {
        Group.allCases.flatMap { group in
            grants(for: group).map { grant in
                let columns = grant.columns.map { "(" + $0.map(identifier).joined(separator: ", ") + ")" } ?? ""
                return "GRANT \(grant.privilege.rawValue)\(columns) ON clinic.\(grant.table) TO \(identifier(role(group)))"
            }
        } + Group.allCases.map { "GRANT USAGE ON ALL SEQUENCES IN SCHEMA clinic TO \(identifier(role($0)))" }
    }

    /// Row-level security on the tables a login must see only its own rows of. Their owner (and so
    /// the definer functions) is not subject to it.
    var rowSecurity: [String] {
        Self.ownRowTables.flatMap { table in
            [
                "ALTER TABLE clinic.\(table) ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY \(table)_own ON clinic.\(table) USING (staff_id = clinic.session_staff_id())",
            ]
        } + [
            "ALTER TABLE clinic.change_staging ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY change_staging_own_transaction ON clinic.change_staging USING (txid = txid_current())",
        ] + Self.ownRowTables.filter { $0 != "login_session" }.map { table in
            // An admin adds a new member's first secret and key (resetting another's is for a definer function);
            // no one opens a session for someone else.
            "CREATE POLICY \(table)_added ON clinic.\(table) FOR INSERT TO \(identifier(role(.admin))) WITH CHECK (true)"
        }
    }

    /// The staff id of the connected login `<site>_<handle>` (its handle is what follows the first `_`).
    var sessionStaffFunction: String {
            """
            CREATE FUNCTION clinic.session_staff_id() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = clinic, pg_temp AS $$
                SELECT id FROM clinic.staff WHERE handle = substr(session_user::text, strpos(session_user::text, '_') + 1)
            $$
            """
    }

    /// Tables whose rows belong to one staff member, by `staff_id`: sessions, passphrase verifiers, sealed keys.
    static let ownRowTables = ["login_session", "staff_secret", "sealed_key"]

    /// Each trigger function, and each of `writeFunctions`, runs as the owner with a fixed search path.
    var triggerFunctionsAsOwner: [String] {
        [
            """
            DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname = 'clinic' AND (p.prorettype = 'trigger'::regtype
                                OR p.oid IN (\(Self.writeFunctions.map { "to_regprocedure(\(literal("clinic." + $0)))" }.joined(separator: ", ")))) LOOP
                    EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = clinic, pg_temp', r.name);
                END LOOP;
            END $$
            """,
        ]
    }

    /// EXECUTE on the read functions for clinicians only; on the owner's own helpers (`session_staff_id`, `is_applying`, which capture triggers call) for everyone
    /// (policies call it as the querying role).
    var functionGrants: [String] {
        Self.clinicalReadFunctions.map { "GRANT EXECUTE ON FUNCTION clinic.\($0) TO \(identifier(role(.clinician)))" }
            + Group.allCases.flatMap { group in
                (["session_staff_id()", "is_applying()"] + Self.writeFunctions).map { "GRANT EXECUTE ON FUNCTION clinic.\($0) TO \(identifier(role(group)))" }
            }
    }

    // MARK: Quoting

    /// A double-quoted identifier.
    func identifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A single-quoted literal.
    func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
