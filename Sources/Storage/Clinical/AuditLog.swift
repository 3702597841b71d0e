import Models

/// The append-only audit log: every note read, every clinical change, every refusal. Each entry
/// carries the hash of the one before it, so a removed or edited entry breaks the chain.
public struct AuditLog {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One audit entry as listed by `clinic audit`.
    public struct Entry: Sendable, Equatable {
        public var seq: Int64
        public var at: Int64
        public var actor: String
        public var action: String
        public var entity: String
        public var entityID: String?
        public var patientID: String?
        public var outcome: String
        public var previousHash: String
        public var hash: String
    }

    static let genesis = String(repeating: "0", count: 64)

    /// Appends an entry chained to the last one.
    package func append(at: Int64, actor: String, action: String, entity: String, entityID: String?, patientID: String?, outcome: String) throws {
        // On PostgreSQL the entry waits in `audit_pending` and is chained at COMMIT under the commit
        // lock (PostgresCapture), so two workstations never fork the chain.
        if db.engine == .postgres {
            try db.execute("SELECT clinic.audit_append(?, ?, ?, ?, ?, ?, ?)", [at, actor, action, entity, entityID, patientID, outcome])
            return
        }
        let previous = try db.first("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")?.string(0) ?? Self.genesis
        let hash = Self.hash(previous: previous, at: at, actor: actor, action: action, entity: entity, entityID: entityID,
                             patientID: patientID, outcome: outcome)
        try db.execute("""
            INSERT INTO audit (at, actor, action, entity, entity_id, patient_id, outcome, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [at, actor, action, entity, entityID, patientID, outcome, previous, hash])
    }

    static func hash(previous: String, at: Int64, actor: String, action: String, entity: String, entityID: String?,
                     patientID: String?, outcome: String) -> String {
        let body = JSONValue.object([
            "prev": .string(previous), "at": .integer(at), "actor": .string(actor), "action": .string(action),
            "entity": .string(entity), "entity_id": entityID.map(JSONValue.string) ?? .null,
            "patient_id": patientID.map(JSONValue.string) ?? .null, "outcome": .string(outcome),
        ])
        return SHA256Hex.of(body.canonical)
    }

    /// Entries, newest last, optionally for one patient or one actor.
    public func entries(patientID: String? = nil, actor: String? = nil, limit: Int = 500) throws -> [Entry] {
        var sql = "SELECT seq, at, actor, action, entity, entity_id, patient_id, outcome, prev_hash, hash FROM audit WHERE 1 = 1"
        var arguments: [SQLBindable] = []
        if let patientID {
            sql += " AND patient_id = ?"
            arguments.append(patientID)
        }
        if let actor {
            sql += " AND actor = ?"
            arguments.append(actor)
        }
        arguments.append(limit)
        let rows = try db.query(sql + " ORDER BY seq DESC LIMIT ?", arguments)
        return rows.reversed().map {
            Entry(seq: $0.int(0), at: $0.int(1), actor: $0.string(2), action: $0.string(3), entity: $0.string(4),
                  entityID: $0.optionalString(5), patientID: $0.optionalString(6), outcome: $0.string(7),
                  previousHash: $0.string(8), hash: $0.string(9))
        }
    }

    /// The sequence numbers where the chain breaks (an entry edited, removed or inserted out of band).
    public func brokenLinks() throws -> [Int64] {
        var broken: [Int64] = []
        var previous = Self.genesis
        try db.forEach("SELECT seq, at, actor, action, entity, entity_id, patient_id, outcome, prev_hash, hash FROM audit ORDER BY seq") { row in
            let expected = Self.hash(previous: previous, at: row.int(1), actor: row.string(2), action: row.string(3), entity: row.string(4),
                                     entityID: row.optionalString(5), patientID: row.optionalString(6), outcome: row.string(7))
            if row.string(8) != previous || row.string(9) != expected { broken.append(row.int(0)) }
            previous = row.string(9)
        }
        return broken
    }
}

/// One command's acting staff member, named by handle and proven against the database: every use
/// case in Storage and Sync runs through `run` or `read`, which prove the actor (an open session or
/// the passphrase), check the permission table and write the audit entry, so no caller of the library
/// can skip them.
public struct AuditedSession {
    public let db: Database
    public let now: Int64
    /// The handle the command names (`--as`, `$CLINIC_ACTOR`); nil when none was given.
    public let handle: String?
    /// What may prove the actor: session tokens, a passphrase.
    let credentials: Credentials
    /// The proof once made, so that a command running several use cases proves its actor once.
    let state = ProofState()

    /// A session whose actor is proven by `credentials`.
    public init(db: Database, handle: String?, credentials: Credentials, now: Int64) {
        self.db = db
        self.handle = handle
        self.credentials = credentials
        self.now = now
    }

    /// A session that takes the handle as proven: for this package's own set-up code and tests only.
    package init(db: Database, handle: String?, now: Int64) {
        self.init(db: db, handle: handle, credentials: .assumed, now: now)
    }

    /// What an operation touched, filled in by the body as it learns it.
    public struct Subject {
        public var entityID: String?
        public var patientID: String?

        public init(entityID: String? = nil, patientID: String? = nil) {
            self.entityID = entityID
            self.patientID = patientID
        }
    }

    /// The actor allowed to do `action`: no handle and no single open session → `actor-required`; a
    /// handle without proof → `login-required`; a wrong passphrase → `bad-passphrase`; too many →
    /// `locked-out`; unknown, deactivated or not allowed by the table → `forbidden`; a passphrase set by
    /// someone else allows only `clinic passphrase`. Each refusal is audited before it is thrown.
    package func actor(for action: Action, entity: String, subject: Subject = Subject()) throws -> Actor {
        do {
            let actor = try proven(for: action)
            try actor.require(action)
            if state.mustChange, action != .passphraseChange {
                throw ClinicError(.passphraseChangeRequired,
                                          "'\(actor.handle)' has a passphrase set by someone else: choose your own with 'clinic passphrase' first")
            }
            return actor
        } catch {
            try audit(action, entity: entity, subject: subject, outcome: Self.outcome(of: error))
            throw error
        }
    }

    /// Runs `body` as the checked actor in one write transaction with a `done` audit entry; on a
    /// refusal, rolls back and records the refusal's code in its own transaction before rethrowing.
    ///
    /// `locate` names what the command is about (a note, a patient) before anything is checked, so a
    /// refused attempt is on record against the patient too; it only reads, and a failure leaves it blank.
    package func run<T>(_ action: Action, entity: String, locate: ((Database) throws -> Subject)? = nil,
                       _ body: (Database, Actor, inout Subject) throws -> T) throws -> T {
        var subject = locate.flatMap { try? $0(db) } ?? Subject()
        let actor = try self.actor(for: action, entity: entity, subject: subject)
        do {
            return try db.write { db in
                let value = try body(db, actor, &subject)
                try recordAuthentication(db)
                try AuditLog(db).append(at: now, actor: actor.handle, action: action.rawValue, entity: entity, entityID: subject.entityID,
                                        patientID: subject.patientID, outcome: Self.done)
                return value
            }
        } catch {
            try audit(action, entity: entity, subject: subject, outcome: Self.outcome(of: error))
            throw error
        }
    }

    /// Runs a read the table allows without an entry when it succeeds (schedule, slots, set-up lists);
    /// a refusal is audited like any other.
    package func read<T>(_ action: Action, entity: String, _ body: (Database, Actor) throws -> T) throws -> T {
        let actor = try self.actor(for: action, entity: entity)
        do {
            let value = try body(db, actor)
            if state.authenticationToRecord { try db.write { try recordAuthentication($0) } }
            return value
        } catch {
            try audit(action, entity: entity, subject: Subject(), outcome: Self.outcome(of: error))
            throw error
        }
    }

    /// The audit log, newest last, optionally for one patient or one actor (admin only; the reading
    /// is itself recorded). At least one is listed: SQLite reads a negative limit as none.
    public func auditEntries(patientChart: String?, actor: String?, limit: Int) throws -> [AuditLog.Entry] {
        try run(.auditRead, entity: "audit") { db, _, subject in
            let patient = try patientChart.map { try PatientRepository(db).require(chart: $0) }
            subject.patientID = patient?.id
            return try AuditLog(db).entries(patientID: patient?.id, actor: actor, limit: max(1, limit))
        }
    }

    /// Runs work that manages its own transactions (a sync import, an export streaming a file) as the
    /// checked actor, then records its outcome in an entry of its own: `done`, or the refusal's code.
    package func perform<T>(_ action: Action, entity: String, target: String? = nil, _ body: (Actor) throws -> T) throws -> T {
        let actor = try self.actor(for: action, entity: entity)
        let subject = Subject(entityID: target, patientID: nil)
        do {
            let value = try body(actor)
            try audit(action, entity: entity, subject: subject, outcome: Self.done)
            return value
        } catch {
            try audit(action, entity: entity, subject: subject, outcome: Self.outcome(of: error))
            throw error
        }
    }

    /// The outcome recorded for a failed attempt: the refusal's code, the database's (`constraint`,
    /// `locked`), or `failed` for anything else; never a message, which could name what was typed.
    static func outcome(of error: any Error) -> String {
        switch error {
        case let error as ClinicError: return error.code.name
        case let error as StorageError: return error.code.name
        default: return "failed"
        }
    }

    /// The outcome written for an act that was carried out.
    public static let done = "done"

    /// Appends one entry in its own transaction; the actor is the handle given when it is a member's
    /// (anything else typed after `--as` could be a passphrase or a patient's name: `?`), `-` for none.
    func audit(_ action: Action, entity: String, subject: Subject, outcome: String) throws {
        let who = try state.actor?.handle ?? handle.map { try StaffRepository(db).find($0) != nil ? $0 : "?" } ?? "-"
        try db.write { db in
            try recordAuthentication(db)
            try AuditLog(db).append(at: now, actor: who, action: action.rawValue, entity: entity, entityID: subject.entityID,
                                    patientID: subject.patientID, outcome: outcome)
        }
    }
}

extension AuditedSession.Subject {
    /// The note named by id or suffix, and its patient.
    static func note(_ text: String) -> (Database) throws -> Self {
        { db in
            let id = try db.resolveID(table: "note", text, what: "note")
            return Self(entityID: id, patientID: try db.first("SELECT patient_id FROM note WHERE id = ?", [id])?.string(0))
        }
    }

    /// The appointment named by id or suffix, and its patient.
    static func appointment(_ text: String) -> (Database) throws -> Self {
        { db in
            let id = try db.resolveID(table: "appointment", text, what: "appointment")
            return Self(entityID: id, patientID: try db.first("SELECT patient_id FROM appointment WHERE id = ?", [id])?.string(0))
        }
    }

    /// The chart with this number as recorded, not following a merge.
    static func recordedPatient(chart: String) -> (Database) throws -> Self {
        { db in
            let patient = try PatientRepository(db).recorded(chart: chart)
            return Self(entityID: patient.id, patientID: patient.id)
        }
    }

    /// The patient with this chart number.
    static func patient(chart: String) -> (Database) throws -> Self {
        { db in
            let patient = try PatientRepository(db).require(chart: chart)
            return Self(entityID: patient.id, patientID: patient.id)
        }
    }
}
