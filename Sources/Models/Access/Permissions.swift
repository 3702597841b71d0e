/// Everything a staff member can ask of `clinic`, each allowed to a fixed set of roles.
///
/// The raw value is the name written in the audit log. The table is data: `roles` is the only
/// place that decides who may do what, docs/CLI.md prints it, and the use cases in Storage and
/// Sync check it before they touch anything.
public enum Action: String, CaseIterable, Sendable {
    // Site administration (admin).
    case staffAdd = "staff-add", staffEdit = "staff-edit", staffDeactivate = "staff-deactivate"
    case credentialAdd = "credential-add", serviceAdd = "service-add", serviceOffer = "service-offer", roomAdd = "room-add"
    case syncKey = "sync-key", syncTrust = "sync-trust", conflictResolve = "conflict-resolve"
    case quarantineAccept = "quarantine-accept", plaintextExport = "sync-export-plaintext"
    case doctor, auditRead = "audit-read"
    case staffResetPassphrase = "staff-reset-passphrase", staffRotateKey = "staff-rotate-key"
    case staffRename = "staff-rename", siteClose = "site-close", siteReopen = "site-reopen", patientMerge = "patient-merge"
    // Proving who one is (every staff member).
    case login, logout, whoami, authenticate, passphraseChange = "passphrase-change"
    // The operating-system owner of the database file, who needs no role.
    case recoverAdmin = "recover-admin"
    // The desk's work (front desk, and admins and clinicians too).
    case siteShow = "site-show", staffList = "staff-list", roomList = "room-list", serviceList = "service-list"
    case hoursSet = "hours-set", timeOffAdd = "timeoff-add"
    case patientAdd = "patient-add", patientFind = "patient-find", patientShow = "patient-show", patientImport = "patient-import"
    case patientAppointments = "patient-appointments", patientEdit = "patient-edit"
    // The front office (front desk and admins).
    case patientArchive = "patient-archive"
    case book, reschedule, cancel, checkIn = "checkin", noShow = "noshow", complete
    case slots, schedule, calendarExport = "ics-export"
    case reportUtilization = "report-utilization", reportNoShows = "report-noshows"
    case syncExport = "sync-export", syncImport = "sync-import", syncStatus = "sync-status"
    case syncConflicts = "sync-conflicts", syncQuarantine = "sync-quarantine", syncDigest = "sync-digest"
    // Clinical content (clinicians).
    case noteStart = "note-start", noteEdit = "note-edit", noteNeedle = "note-needle", noteNeedlesRemoved = "note-needles-removed"
    case noteAdverse = "note-adverse", noteSign = "note-sign", noteAmend = "note-amend", noteRead = "note-read"
    case notesRead = "notes-read", search, precautionRecord = "precaution-record"
    case consentRecord = "consent-record", consentWithdraw = "consent-withdraw", clinicalRead = "clinical-read"
    case fhirExport = "fhir-export", reportModalities = "report-modalities", reportOutcomes = "report-outcomes"

    /// Who may do it. A staff member holding any one of these roles may.
    public var roles: Set<StaffRole> {
        switch tier {
        case .administration: return [.admin]
        case .desk: return [.frontDesk, .admin, .clinician]
        case .frontOffice: return [.frontDesk, .admin]
        case .clinical: return [.clinician]
        case .identity: return Set(StaffRole.allCases)
        case .fileOwner: return []
        }
    }

    /// The groups of the permission table.
    public enum Tier: String, CaseIterable, Sendable {
        case administration, frontOffice, desk, clinical, identity, fileOwner

        /// Who the tier is for, as docs/CLI.md's permission table says it.
        public var who: String {
            switch self {
            case .identity: return "every staff member, for themselves"
            case .fileOwner: return "the operating-system owner of the database file (no role)"
            case .administration: return "admin"
            case .frontOffice: return "front desk, admin"
            case .desk: return "front desk, admin, clinician"
            case .clinical: return "clinician"
            }
        }
    }

    public var tier: Tier {
        switch self {
        case .staffAdd, .staffEdit, .staffDeactivate, .credentialAdd, .serviceAdd, .serviceOffer, .roomAdd, .syncKey, .syncTrust,
             .conflictResolve, .quarantineAccept, .plaintextExport, .doctor, .auditRead, .staffResetPassphrase, .staffRotateKey,
             .staffRename, .siteClose, .siteReopen, .patientMerge:
            return .administration
        case .patientArchive:
            return .frontOffice
        case .login, .logout, .whoami, .authenticate, .passphraseChange:
            return .identity
        case .recoverAdmin:
            return .fileOwner
        case .siteShow, .staffList, .roomList, .serviceList, .hoursSet, .timeOffAdd, .patientAdd, .patientFind, .patientShow,
             .patientImport, .patientAppointments, .patientEdit, .book, .reschedule, .cancel, .checkIn, .noShow, .complete, .slots, .schedule, .calendarExport,
             .reportUtilization, .reportNoShows, .syncExport, .syncImport, .syncStatus, .syncConflicts, .syncQuarantine, .syncDigest:
            return .desk
        case .noteStart, .noteEdit, .noteNeedle, .noteNeedlesRemoved, .noteAdverse, .noteSign, .noteAmend, .noteRead, .notesRead,
             .search, .precautionRecord, .consentRecord, .consentWithdraw, .clinicalRead, .fhirExport, .reportModalities, .reportOutcomes:
            return .clinical
        }
    }

    /// Reads that leave no audit entry when allowed (schedule and slot look-ups, lists of set-up data).
    /// Refusals are audited whatever the action.
    public var isQuietRead: Bool {
        switch self {
        case .siteShow, .staffList, .roomList, .serviceList, .slots, .schedule, .syncStatus, .syncDigest, .syncQuarantine, .whoami:
            return true
        default:
            return false
        }
    }
}

/// The acting staff member as a use case sees it: resolved from the database, never from a claim.
public struct Actor: Sendable, Equatable {
    public let staff: Practitioner

    public init(_ staff: Practitioner) { self.staff = staff }

    public var id: String { staff.id }
    public var handle: String { staff.handle }

    /// Whether the table lets this actor do `action` (an inactive member may do nothing).
    public func may(_ action: Action) -> Bool {
        staff.active && !staff.roles.isDisjoint(with: action.roles)
    }

    /// Throws `forbidden` unless the table allows `action`; the message names the roles that may.
    public func require(_ action: Action) throws {
        guard may(action) else {
            let needed = action.roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw ClinicError(.forbidden, "'\(handle)' may not \(action.rawValue): it needs the role \(needed)")
        }
    }
}

/// The permission table as docs/CLI.md prints it.
public enum PermissionTable {
    /// One Markdown table: each tier's roles and the actions in it.
    public static var markdown: String {
        var lines = ["| roles | actions |", "|---|---|"]
        for tier in Action.Tier.allCases {
            let actions = Action.allCases.filter { $0.tier == tier }.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            lines.append("| \(tier.who) | \(actions) |")
        }
        return lines.joined(separator: "\n")
    }
}
