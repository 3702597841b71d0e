import Foundation
import Models
import Storage
import Testing

/// Every command of the permission table, run through the real binary as each role, as an unknown
/// handle, as a deactivated member and with no actor: the exit code, the error code, that a refusal
/// changed nothing but the audit log, and that every attempt is in the audit log.
@Suite("Permission table through the real binary")
struct PermissionMatrixTests {
    /// One row of the table: a command line (with `{placeholders}` the fixture fills in), the action it
    /// is audited as, and whether the allowed roles should see it succeed (some end in a rule's refusal).
    struct Command: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let action: Action
        var succeeds = true

        var testDescription: String { arguments.prefix(3).joined(separator: " ") }
    }

    /// The actors every command is tried as; `nil` means none named.
    enum Who: String, CaseIterable, Sendable {
        case admin, frontDesk = "accueil", clinician = "mtremblay", unknown = "nobody", deactivated = "ecote", none = ""

        var roles: Set<StaffRole> {
            switch self {
            case .admin: return [.admin]
            case .frontDesk: return [.frontDesk]
            case .clinician: return [.clinician]
            case .unknown, .deactivated, .none: return []
            }
        }
    }

    static let commands: [Command] = [
        // Administration.
        Command(arguments: ["staff", "add", "newbie", "--name", "New Person", "--discipline", "physiotherapy"], action: .staffAdd),
        Command(arguments: ["staff", "edit", "jdoe", "--role", "clinician,admin"], action: .staffEdit),
        Command(arguments: ["staff", "deactivate", "jdoe"], action: .staffDeactivate),
        Command(arguments: ["staff", "rename", "jdoe", "jane.doe"], action: .staffRename),
        Command(arguments: ["staff", "credential", "mtremblay", "--scope", "acupuncture", "--regulator", "OAQ", "--number", "77"],
                action: .credentialAdd),
        Command(arguments: ["service", "add", "osteo-30", "--name", "Osteopathy 30", "--duration", "30m", "--discipline", "osteopathy"],
                action: .serviceAdd),
        Command(arguments: ["service", "offer", "osteo-60", "--site", "MTL"], action: .serviceOffer),
        Command(arguments: ["room", "add", "Bed 9"], action: .roomAdd),
        Command(arguments: ["sync", "key"], action: .syncKey),
        Command(arguments: ["sync", "trust", "--site", "VAN", "--key", "{vanKey}"], action: .syncTrust),
        Command(arguments: ["patient", "merge", "MTL-000001", "MTL-000004"], action: .patientMerge),
        // The front office.
        Command(arguments: ["patient", "archive", "MTL-000004"], action: .patientArchive),
        Command(arguments: ["sync", "trust", "--list"], action: .syncTrust),
        Command(arguments: ["sync", "trust", "--revoke", "QC"], action: .syncTrust),
        Command(arguments: ["sync", "conflicts", "--resolve", "0123456789ab", "--keep", "A"], action: .conflictResolve, succeeds: false),
        Command(arguments: ["sync", "quarantine", "--all"], action: .quarantineAccept, succeeds: false),
        Command(arguments: ["sync", "export", "--plaintext", "--to", "{out}"], action: .plaintextExport),
        Command(arguments: ["doctor"], action: .doctor),
        Command(arguments: ["audit", "--limit", "5"], action: .auditRead),
        Command(arguments: ["staff", "reset-passphrase", "jdoe", "--passphrase-file", "{passfile}"], action: .staffResetPassphrase),
        Command(arguments: ["staff", "rotate-key", "mtremblay"], action: .staffRotateKey),
        Command(arguments: ["site", "closed", "--date", "2026-12-25", "--reason", "Christmas"], action: .siteClose),
        Command(arguments: ["site", "closed", "--date", "2026-12-26", "--remove"], action: .siteReopen, succeeds: false),
        // Proving who one is.
        Command(arguments: ["login", "--for", "1h"], action: .login),
        Command(arguments: ["logout"], action: .logout, succeeds: false),
        Command(arguments: ["whoami"], action: .whoami),
        Command(arguments: ["passphrase", "--passphrase-file", "{passfile}"], action: .passphraseChange),
        // The desk's work.
        Command(arguments: ["site", "show"], action: .siteShow),
        Command(arguments: ["staff", "list"], action: .staffList),
        Command(arguments: ["room", "list"], action: .roomList),
        Command(arguments: ["service", "list"], action: .serviceList),
        Command(arguments: ["staff", "hours", "mtremblay", "--day", "sun", "--from", "09:00", "--to", "12:00"], action: .hoursSet),
        Command(arguments: ["staff", "timeoff", "mtremblay", "--from", "2027-02-01 00:00", "--to", "2027-02-02 00:00"], action: .timeOffAdd),
        Command(arguments: ["patient", "add", "--first", "Zoé", "--last", "Essai", "--dob", "1991-02-03"], action: .patientAdd),
        Command(arguments: ["patient", "find", "silva"], action: .patientFind),
        Command(arguments: ["patient", "show", "MTL-000001"], action: .patientShow),
        Command(arguments: ["patient", "edit", "MTL-000001", "--phone", "514-555-0199", "--address", "1 rue Test"], action: .patientEdit),
        Command(arguments: ["appointments", "--patient", "MTL-000001"], action: .patientAppointments),
        Command(arguments: ["import", "patients", "--csv", "{csv}"], action: .patientImport),
        Command(arguments: ["book", "--patient", "MTL-000003", "--with", "mtremblay", "--service", "physio-30", "--at", "{slot}"], action: .book),
        Command(arguments: ["reschedule", "{booked}", "--at", "{slot}"], action: .reschedule),
        Command(arguments: ["cancel", "{booked}", "--reason", "patient ill"], action: .cancel),
        Command(arguments: ["checkin", "{booked}"], action: .checkIn, succeeds: false),
        Command(arguments: ["noshow", "{booked}"], action: .noShow, succeeds: false),
        Command(arguments: ["complete", "{booked}"], action: .complete, succeeds: false),
        Command(arguments: ["slots", "--service", "physio-30", "--from", "2026-11-30", "--limit", "3"], action: .slots),
        Command(arguments: ["schedule", "--date", "2026-11-24"], action: .schedule),
        Command(arguments: ["export", "ics", "--with", "mtremblay", "--to", "{out}"], action: .calendarExport),
        Command(arguments: ["report", "utilization", "--from", "2026-11-16", "--until", "2026-11-22"], action: .reportUtilization),
        Command(arguments: ["report", "noshows", "--from", "2026-11-16", "--until", "2026-11-22"], action: .reportNoShows),
        Command(arguments: ["sync", "export", "--for", "QC", "--to", "{out}"], action: .syncExport),
        Command(arguments: ["sync", "import", "{log}"], action: .syncImport),
        Command(arguments: ["sync", "status"], action: .syncStatus),
        Command(arguments: ["sync", "conflicts"], action: .syncConflicts),
        Command(arguments: ["sync", "quarantine"], action: .syncQuarantine),
        Command(arguments: ["sync", "digest"], action: .syncDigest),
        // Clinical content.
        Command(arguments: ["note", "start", "{booked}"], action: .noteStart),
        Command(arguments: ["note", "edit", "{draft}", "--subjective", "Neck pain after desk work"], action: .noteEdit),
        Command(arguments: ["note", "needle", "{draft}", "--muscle", "upper trapezius", "--side", "right"], action: .noteNeedle),
        Command(arguments: ["note", "needles-removed", "{draft}", "--count", "0"], action: .noteNeedlesRemoved),
        Command(arguments: ["note", "adverse", "{draft}", "--kind", "bruising", "--detail", "small bruise"], action: .noteAdverse),
        Command(arguments: ["note", "sign", "{draft}"], action: .noteSign, succeeds: false),
        Command(arguments: ["note", "amend", "{signed}", "--text", "Phoned next day: settled"], action: .noteAmend),
        Command(arguments: ["note", "show", "{signed}"], action: .noteRead),
        Command(arguments: ["notes", "--patient", "MTL-000002"], action: .notesRead),
        Command(arguments: ["search", "trapezius"], action: .search),
        Command(arguments: ["patient", "precaution", "MTL-000001", "--add", "diabetes"], action: .precautionRecord),
        Command(arguments: ["consent", "record", "MTL-000001", "--intervention", "acupuncture", "--risks", "bruising, soreness"],
                action: .consentRecord),
        Command(arguments: ["consent", "withdraw", "MTL-000001", "--intervention", "electro-stim"], action: .consentWithdraw, succeeds: false),
        Command(arguments: ["export", "fhir", "--patient", "MTL-000002", "--to", "{out}"], action: .fhirExport),
        Command(arguments: ["report", "modalities", "--from", "2026-11-16", "--until", "2026-11-22"], action: .reportModalities),
        Command(arguments: ["report", "outcomes", "--from", "2026-11-16", "--until", "2026-11-22"], action: .reportOutcomes),
    ]

    @Test("the table covers every action")
    func everyActionHasACommand() {
        let covered = Set(Self.commands.map(\.action))
        // Not commands of their own: a clinical read is part of `patient show`; every proof by passphrase
        // is audited as `authenticate`; `recover-admin` needs no role (IdentityCLITests tries it).
        let missing = Action.allCases.filter { !covered.contains($0) && ![.clinicalRead, .authenticate, .recoverAdmin].contains($0) }
        #expect(missing.isEmpty, "no command in the matrix for \(missing)")
    }

    /// The commands that do not run on PostgreSQL yet, each ported by its own part of issue 28: `doctor`
    /// (SQLite's integrity and foreign-key PRAGMAs), `sync import` (the import's SQLite tuning) and
    /// `search` (SQLite's FTS5 MATCH). They stay in the SQLite matrix; take them out of here as they land.
    static let notYetOnPostgres: Set<Action> = []

    /// Every command on SQLite, and on PostgreSQL all but `notYetOnPostgres`.
    static let cases: [(Backend, Command)] = Backend.allCases.flatMap { backend in
        commands.filter { backend == .sqlite || !notYetOnPostgres.contains($0.action) }.map { (backend, $0) }
    }

    @Test("each command as each role, unknown, deactivated and with no actor", arguments: cases)
    func matrix(backend: Backend, command: Command) throws {
        let fixture = try Fixture.shared(backend)
        // Refusals share one copy: each must leave every table but the audit log as it was.
        let refusals = try fixture.copy()
        // The rules are the same Swift on both engines; on PostgreSQL, where only the SQL differs, each command
        // runs once refused and once allowed (every role on SQLite), which keeps CI's run within its time.
        let refused = Who.allCases.filter {
            !Actor(Practitioner(id: "", handle: $0.rawValue, name: "", discipline: nil, roles: $0.roles)).may(command.action)
        }
        for who in backend == .sqlite ? refused : Array(refused.prefix(1)) {
            let before = try refusals.contentHash()
            let auditBefore = try refusals.auditCount()
            let result = try refusals.run(command, as: who, fixture: fixture)
            let expectedCode = who == .none ? "actor-required" : "forbidden"
            #expect(result.status == (who == .none ? 64 : 1), "\(command.testDescription) as \(who): \(result.stderr)")
            #expect(result.errorCode == expectedCode, "\(command.testDescription) as \(who): \(result.stderr)")
            #expect(try refusals.contentHash() == before, "\(command.testDescription) as \(who) changed something")
            let entries = try refusals.auditEntries(after: auditBefore)
            #expect(entries.contains { $0.action == command.action.rawValue && $0.outcome == expectedCode },
                    "\(command.testDescription) as \(who): not audited, got \(entries.map { "\($0.action):\($0.outcome)" })")
        }
        // Each allowed role works on a fresh copy.
        let allowed = [Who.admin, .frontDesk, .clinician].filter { command.action.roles.contains(where: $0.roles.contains) }
        for who in backend == .sqlite ? allowed : Array(allowed.prefix(1)) {
            let site = try fixture.copy()
            let auditBefore = try site.auditCount()
            let result = try site.run(command, as: who, fixture: fixture)
            #expect(!["forbidden", "actor-required"].contains(result.errorCode ?? ""), "\(command.testDescription) as \(who): \(result.stderr)")
            if command.succeeds {
                #expect(result.status == 0, "\(command.testDescription) as \(who): \(result.stderr)")
            }
            if !command.action.isQuietRead {
                let entries = try site.auditEntries(after: auditBefore)
                #expect(entries.contains { $0.action == command.action.rawValue && $0.actor == who.rawValue },
                        "\(command.testDescription) as \(who): not audited, got \(entries.map { "\($0.action):\($0.outcome)" })")
            }
        }
    }

    @Test("docs/CLI.md prints the permission table as Models holds it")
    func readmeTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("docs/CLI.md"), encoding: .utf8)
        #expect(readme.contains(PermissionTable.markdown), "docs/CLI.md's permission table should read:\n\(PermissionTable.markdown)")
    }

    /// A demo site MTL made once per test run, with a trusted peer QC, a log QC wrote for it, a
    /// deactivated clinician, a draft note and the ids the command lines need.
    final class Fixture: Sendable {
        let folder: URL
        let template: ClinicProcess
        let values: [String: String]

        private static let made: [Backend: Result<Fixture, any Error>] = [
            .sqlite: Result { try Fixture(.sqlite) }, .postgres: Result { try Fixture(.postgres) },
        ]
        static func shared(_ backend: Backend) throws -> Fixture { try made[backend]!.get() }

        private init(_ backend: Backend) throws {
            folder = ClinicProcess.runFolder.appendingPathComponent("permission-matrix-\(backend)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Only MTL is copied and changed: QC and VAN stay on SQLite.
            let mtl = ClinicProcess(sessions: false, backend: backend), qc = ClinicProcess(sessions: false), van = ClinicProcess(sessions: false)
            template = mtl
            func ok(_ site: ClinicProcess, _ arguments: [String], as actor: String = "admin") throws -> ClinicProcess.Result {
                let result = try site.run(arguments, environment: ["CLINIC_ACTOR": actor])
                guard result.status == 0 else { throw FixtureError(step: arguments.joined(separator: " "), detail: result.stderr) }
                return result
            }
            _ = try ok(mtl, ["demo"])
            _ = try ok(qc, ["init", "--site-code", "QC", "--site-name", "Québec", "--timezone", "America/Toronto", "--test-clock"])
            _ = try ok(van, ["init", "--site-code", "VAN", "--site-name", "Vancouver", "--timezone", "America/Vancouver", "--test-clock"])
            let mtlKey = try ok(mtl, ["sync", "key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let qcKey = try ok(qc, ["sync", "key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let vanKey = try ok(van, ["sync", "key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try ok(mtl, ["sync", "trust", "--site", "QC", "--key", qcKey])
            _ = try ok(qc, ["sync", "trust", "--site", "MTL", "--key", mtlKey])
            let log = folder.appendingPathComponent("qc-for-mtl.log").path
            _ = try ok(qc, ["sync", "export", "--for", "MTL", "--to", log])
            _ = try ok(mtl, ["staff", "deactivate", "ecote"])

            let schedule = try ok(mtl, ["schedule", "--date", "2026-11-24", "--with", "mtremblay", "--json"], as: "accueil").json
            let appointments = (schedule["appointments"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "booked" }
            guard appointments.count >= 2, let booked = appointments[0]["id"] as? String, let drafted = appointments[1]["id"] as? String else {
                throw FixtureError(step: "schedule", detail: "fewer than two booked appointments for mtremblay on 2026-11-24")
            }
            let draft = try ok(mtl, ["note", "start", drafted, "--json"], as: "mtremblay").json["id"] as? String ?? ""
            let slots = try ok(mtl, ["slots", "--service", "physio-30", "--with", "mtremblay", "--from", "2026-11-30", "--limit", "1", "--json"],
                               as: "accueil").json["slots"] as? [[String: Any]]
            let slot = slots?.first?["start"] as? String ?? ""
            let signed = try Self.signedNote(in: mtl)
            let csv = folder.appendingPathComponent("patients.csv")
            try Data("first,last,dob\nAnaïs,Nouvelle,1985-06-07\n".utf8).write(to: csv)
            let passfile = folder.appendingPathComponent("new-passphrase")
            try Data("matrix passphrase 2026\n".utf8).write(to: passfile)
            values = ["{passfile}": passfile.path, "{vanKey}": vanKey, "{log}": log, "{booked}": booked, "{draft}": draft, "{slot}": slot, "{signed}": signed,
                      "{csv}": csv.path]
        }

        /// A signed note of mtremblay's; the connection is closed before the template is copied.
        private static func signedNote(in site: ClinicProcess) throws -> String {
            let database = try site.store.open()
            let signed = try database.first("""
                SELECT n.id FROM note n JOIN staff s ON s.id = n.author_id WHERE s.handle = 'mtremblay' AND n.status = 'signed' LIMIT 1
                """)?.string(0) ?? ""
            if database.engine == .sqlite { try database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
            return signed
        }

        /// A private copy of the template database.
        func copy() throws -> Site {
            Site(process: ClinicProcess(copying: template, sessions: false))
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let step: String, detail: String
        var description: String { "fixture step '\(step)' failed: \(detail)" }
    }

    /// One copy of the demo site under test.
    struct Site {
        var process: ClinicProcess

        func run(_ command: Command, as who: Who, fixture: Fixture) throws -> ClinicProcess.Result {
            let out = process.folder.appendingPathComponent("out-\(UUID().uuidString)").path
            let arguments = command.arguments.map { argument in
                argument == "{out}" ? out : fixture.values[argument] ?? argument
            }
            return try process.run(arguments + ["--json"], environment: ["CLINIC_ACTOR": who.rawValue])
        }

        /// A hash of every table except the audit log.
        func contentHash() throws -> String {
            let db = try process.store.open()
            var text = ""
            let tables = try db.query(db.engine == .sqlite ? """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT IN ('audit', 'passphrase_attempt') ORDER BY name
                """ : """
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'clinic' AND table_type = 'BASE TABLE'
                AND table_name NOT IN ('audit', 'passphrase_attempt') ORDER BY table_name
                """)
            for table in tables.map({ $0.string(0) }) {
                text += "#\(table)\n"
                try db.forEach("SELECT * FROM \"\(table)\"") { row in
                    text += row.values.map { "\($0)" }.joined(separator: "|") + "\n"
                }
            }
            return SHA256Hex.of(text)
        }

        func auditCount() throws -> Int64 {
            try process.store.open().first("SELECT COUNT(*) FROM audit")?.int(0) ?? 0
        }

        func auditEntries(after count: Int64) throws -> [AuditLog.Entry] {
            try AuditLog(process.store.open()).entries(limit: 10_000).filter { $0.seq > count }
        }
    }
}
