/// Every refusal `clinic` can report, declared once: the name scripts read, the exit category
/// and what it means. A closed set (a struct over a private enum, as Hummingbird's `PersistError`),
/// so a code means one thing everywhere and its exit code is fixed here, not where it is thrown.
/// `docs/errors.md` is printed from this list by a test.
public struct ErrorCode: Hashable, Sendable, CustomStringConvertible {
    private enum Value: String, CaseIterable, Sendable {
        // Refused by a rule (exit 1).
        case alreadyInitialised = "already-initialised"
        case ambiguous
        case archived
        case badPassphrase = "bad-passphrase"
        case badSignature = "bad-signature"
        case closed
        case constraint
        case contraindication
        case duplicate
        case exists
        case forbidden
        case guardianRequired = "guardian-required"
        case hasBookings = "has-bookings"
        case hasDraft = "has-draft"
        case invalidTarget = "invalid-target"
        case invalidTransition = "invalid-transition"
        case lastAdmin = "last-admin"
        case lockedOut = "locked-out"
        case loginRequired = "login-required"
        case needleCountMismatch = "needle-count-mismatch"
        case noConsent = "no-consent"
        case notAClinician = "not-a-clinician"
        case notASeries = "not-a-series"
        case notForThisSite = "not-for-this-site"
        case notFound = "not-found"
        case notOffered = "not-offered"
        case notLoggedIn = "not-logged-in"
        case notQualified = "not-qualified"
        case noteNotSigned = "note-not-signed"
        case noteSigned = "note-signed"
        case outsideHours = "outside-hours"
        case ownFile = "own-file"
        case passphraseChangeRequired = "passphrase-change-required"
        case renameRequired = "rename-required"
        case samePassphrase = "same-passphrase"
        case slotTaken = "slot-taken"
        case tooEarly = "too-early"
        case untrustedSite = "untrusted-site"
        case weakPassphraseHash = "weak-passphrase-hash"
        // Wrong on the command line (exit 64).
        case actorRequired = "actor-required"
        case detailRequired = "detail-required"
        case disciplineRequired = "discipline-required"
        case emptySearch = "empty-search"
        case invalidChart = "invalid-chart"
        case invalidCount = "invalid-count"
        case invalidCredential = "invalid-credential"
        case invalidDatabaseURL = "invalid-database-url"
        case invalidDate = "invalid-date"
        case invalidDay = "invalid-day"
        case invalidDuration = "invalid-duration"
        case invalidEmail = "invalid-email"
        case invalidEstim = "invalid-estim"
        case invalidHandle = "invalid-handle"
        case invalidID = "invalid-id"
        case invalidKey = "invalid-key"
        case invalidName = "invalid-name"
        case invalidNeedleSite = "invalid-needle-site"
        case invalidNumber = "invalid-number"
        case invalidPhone = "invalid-phone"
        case invalidPrecaution = "invalid-precaution"
        case invalidRange = "invalid-range"
        case invalidReport = "invalid-report"
        case invalidRole = "invalid-role"
        case invalidSide = "invalid-side"
        case invalidSite = "invalid-site"
        case invalidSiteCode = "invalid-site-code"
        case invalidSlug = "invalid-slug"
        case invalidText = "invalid-text"
        case invalidTime = "invalid-time"
        case invalidTimezone = "invalid-timezone"
        case noSuchFile = "no-such-file"
        case nonexistentTime = "nonexistent-time"
        case outOfRange = "out-of-range"
        case passphraseMismatch = "passphrase-mismatch"
        case passphraseRequired = "passphrase-required"
        case recipientRequired = "recipient-required"
        case risksRequired = "risks-required"
        case sideRequired = "side-required"
        case textRequired = "text-required"
        case unknownMuscle = "unknown-muscle"
        case unknownPoint = "unknown-point"
        case usage
        case weakPassphrase = "weak-passphrase"
        // Bad content inside an input file (exit 65).
        case badFile = "bad-file"
        case badNoteSignature = "bad-note-signature"
        // The database or the file system failed (exit 74).
        case corrupt
        case locked
        case notInitialised = "not-initialised"
        case postgres
        case schemaTooNew = "schema-too-new"
        case sqlite
        case unreadable
        case unwritable
        case writeInsideRead = "write-inside-read"
    }

    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// The stable spelling scripts read in `{"error": {"code": …}}` and after a refusal on stderr.
    public var name: String { value.rawValue }

    public var description: String { name }

    /// Every code, in the order of the catalogue (by exit category, then by name).
    public static var all: [ErrorCode] { Value.allCases.map(ErrorCode.init) }

    /// The code with this spelling, for readers of stored outcomes (audit entries) and tests.
    public init?(name: String) {
        guard let value = Value(rawValue: name) else { return nil }
        self.value = value
    }

    /// How the CLI reports this code: each category is one exit code.
    public var category: ErrorCategory {
        switch value {
        case .alreadyInitialised, .ambiguous, .archived, .badPassphrase, .badSignature, .constraint, .contraindication,
             .duplicate, .exists, .forbidden, .guardianRequired, .invalidTarget, .invalidTransition, .lastAdmin,
             .lockedOut, .loginRequired, .needleCountMismatch, .noConsent, .notAClinician, .notASeries, .notOffered,
             .notForThisSite, .notFound, .notLoggedIn, .notQualified, .noteNotSigned, .noteSigned, .outsideHours,
             .ownFile, .passphraseChangeRequired, .renameRequired, .samePassphrase, .slotTaken, .tooEarly, .untrustedSite,
             .weakPassphraseHash, .hasBookings, .hasDraft, .closed:
            return .refused
        case .actorRequired, .detailRequired, .disciplineRequired, .emptySearch, .invalidChart, .invalidCount,
             .invalidCredential, .invalidDatabaseURL, .invalidDate, .invalidDay, .invalidDuration, .invalidEmail, .invalidEstim, .invalidHandle, .invalidID,
             .invalidKey, .invalidName, .invalidNeedleSite, .invalidNumber, .invalidPhone, .invalidPrecaution, .invalidRange,
             .invalidReport, .invalidRole, .invalidSide, .invalidSite, .invalidSiteCode, .invalidSlug, .invalidText,
             .invalidTime, .invalidTimezone, .noSuchFile, .nonexistentTime, .outOfRange, .passphraseMismatch,
             .passphraseRequired, .recipientRequired, .risksRequired, .sideRequired, .textRequired, .unknownMuscle, .unknownPoint,
             .usage, .weakPassphrase:
            return .usage
        case .badFile, .badNoteSignature:
            return .badInput
        case .corrupt, .locked, .notInitialised, .postgres, .schemaTooNew, .sqlite, .unreadable, .unwritable, .writeInsideRead:
            return .io
        }
    }

    /// One line a reader of `docs/errors.md` needs: when the code is given, in the user's words.
    public var meaning: String {
        switch value {
        case .alreadyInitialised: return "The database already holds a site; `init` changes nothing."
        case .archived: return "The patient's chart is archived: its history is kept but it takes no new bookings."
        case .ambiguous: return "A shortened id or chart number matches more than one record (give more of it), or a handle sync brought to two staff members (give the id suffix)."
        case .badPassphrase: return "The passphrase given is not the member's (every wrong attempt counts towards a lock-out)."
        case .badSignature: return "A change log's site signature does not verify against the trusted key; nothing is imported."
        case .constraint: return "The database refused a change that contradicts what it holds (a uniqueness or reference rule)."
        case .contraindication: return "Signing needs every contraindication found in the note acknowledged first."
        case .duplicate: return "Something with this name, handle or time already exists."
        case .exists: return "The destination file exists (and is not replaced without `--force`), or is the database itself."
        case .forbidden: return "The actor's role may not do this, or the handle is unknown or deactivated."
        case .guardianRequired: return "The patient is a minor on that date: the consent needs a guardian."
        case .invalidTarget: return "The command cannot act on this member or chart (for example one's own passphrase through an admin command, or merging a chart into itself or into a merged chart)."
        case .invalidTransition: return "The record's status does not allow this step (a cancelled appointment cannot be checked in)."
        case .lastAdmin: return "The change would leave the site without an active admin."
        case .lockedOut: return "Too many wrong passphrases: the handle is locked out for a while."
        case .loginRequired: return "The handle has no open session and no passphrase was given."
        case .needleCountMismatch: return "A needling session cannot be signed while needles inserted and removed differ."
        case .noConsent: return "No consent in force covers the intervention recorded (or to withdraw)."
        case .notOffered: return "The service is not offered at the site of the booking; an admin offers it there with `service offer`."
        case .notAClinician: return "The member named is not an active clinician, and only clinicians may take this part."
        case .notASeries: return "The appointment is not part of a recurring series."
        case .notForThisSite: return "The change log was encrypted for another site."
        case .notFound: return "Nothing with this id, handle, chart number or slug exists here."
        case .notLoggedIn: return "The handle has no open session on this database to end."
        case .notQualified: return "The clinician holds no valid credential for this service, point or technique on that date."
        case .noteNotSigned: return "The note is still a draft: edit it rather than amend it."
        case .noteSigned: return "The note is signed and cannot change: add an amendment; its appointment cannot be moved or cancelled."
        case .outsideHours: return "The time falls outside the clinician's working hours or inside their time off."
        case .ownFile: return "The change log was written by this site itself."
        case .passphraseChangeRequired: return "The member must choose their own passphrase (`clinic passphrase`) before anything else."
        case .renameRequired: return "Two staff members share one handle: keeping a side cannot fix that; rename one (`clinic staff rename`)."
        case .samePassphrase: return "A new passphrase must differ from the current one."
        case .slotTaken: return "The practitioner, the room or the patient is already booked in an overlapping interval."
        case .hasDraft: return "Another clinician's draft note of the appointment holds entries: the practitioner stays until that note is signed (or the booking is cancelled and made again)."
        case .hasBookings: return "The time off covers appointments still booked; they are listed, and `--force` records it anyway."
        case .closed: return "The site is closed that day (`clinic site closed`)."
        case .tooEarly: return "The session has not taken place yet (or, for check-in and no-show, its day has not come)."
        case .untrustedSite: return "The other site's key is unknown here or revoked (`clinic sync trust`)."
        case .weakPassphraseHash: return "A stored passphrase hash uses scrypt parameters below the minimum; an admin must reset it."
        case .actorRequired: return "No acting member is named and there is not exactly one open session."
        case .detailRequired: return "An adverse event needs a description."
        case .disciplineRequired: return "A clinician needs a discipline."
        case .emptySearch: return "A search needs words to look for."
        case .invalidChart: return "A chart number is the site code, a dash and six digits (MTL-000042)."
        case .invalidCount: return "The number of occurrences of a series is out of range."
        case .invalidCredential: return "A credential needs its regulator and number."
        case .invalidDatabaseURL: return "The database URL cannot be used: not a postgresql:// URL libpq would read, or it carries a password (give that in PGPASSWORD or ~/.pgpass)."
        case .invalidDate: return "A date is not a real date written YYYY-MM-DD."
        case .invalidDay: return "A weekday is one of mon, tue, wed, thu, fri, sat, sun."
        case .invalidDuration: return "A duration is written 30m, 1h or 1h30m (at most 24h)."
        case .invalidEmail: return "An email address does not look like name@example.org."
        case .invalidEstim: return "Electro-stimulation settings are not in the expected form."
        case .invalidHandle: return "A staff handle is 2–32 lower-case letters, digits, '.', '-' or '_', starting with a letter."
        case .invalidID: return "An id is the full id or its last 8 or more hexadecimal digits."
        case .invalidKey: return "A site key is not the line another site's `clinic sync key` prints."
        case .invalidName: return "A name is empty or unusable."
        case .invalidNeedleSite: return "A needle goes into exactly one acupoint or one muscle."
        case .invalidNumber: return "A length or number is not in the expected form."
        case .invalidPhone: return "A phone number needs at least 7 digits."
        case .invalidPrecaution: return "A precaution is not one of the catalogued kinds."
        case .invalidRange: return "The end of a range comes before its start."
        case .invalidReport: return "The report named is not of the kind this command produces."
        case .invalidRole: return "A role is one of clinician, front-desk, admin."
        case .invalidSide: return "A conflict is resolved by keeping side A or side B."
        case .invalidSite: return "The site named cannot be used here (for example this site itself)."
        case .invalidSiteCode: return "A site code is 2–8 upper-case letters or digits, starting with a letter."
        case .invalidSlug: return "A service slug is 2–32 lower-case letters, digits or '-'."
        case .invalidText: return "Text holds control characters (escape sequences, NUL)."
        case .invalidTime: return "A time or time of day is not in an accepted form."
        case .invalidTimezone: return "A time zone is not a known IANA name."
        case .noSuchFile: return "No input file at the path given."
        case .nonexistentTime: return "The wall-clock time does not exist in the site's zone (clocks spring forward)."
        case .outOfRange: return "A number is outside the range allowed for it."
        case .passphraseMismatch: return "The passphrase and its confirmation differ."
        case .passphraseRequired: return "A new passphrase is needed and none was given."
        case .recipientRequired: return "An encrypted change log needs the site it is for."
        case .risksRequired: return "A consent names the risks explained to the patient."
        case .sideRequired: return "A needle's side is required for this point or muscle."
        case .textRequired: return "The text is empty."
        case .unknownMuscle: return "The muscle is not in the catalogue."
        case .unknownPoint: return "The acupoint code is not a channel code and a number on that channel."
        case .usage: return "The command line cannot be parsed: unknown flag, missing or malformed value."
        case .weakPassphrase: return "A new passphrase fails the policy (length, variety, common words, the handle)."
        case .badFile: return "An input file (CSV, change log) is unparseable, truncated, edited or of a newer format; the line is named."
        case .badNoteSignature: return "A change log carries a clinician signature or key row that does not verify; nothing is imported."
        case .corrupt: return "The database file, or a stored hash or key in it, is damaged."
        case .locked: return "Another clinic process kept the database locked past the busy wait; try again."
        case .notInitialised: return "There is no clinic database at the path given, or it holds no site yet: run `clinic init` or `clinic demo`."
        case .schemaTooNew: return "The database was made by a newer `clinic`; this binary does not change it."
        case .postgres: return "The PostgreSQL server could not be reached or refused the login or a statement (its SQLSTATE is named in the message)."
        case .sqlite: return "SQLite failed in a way not listed here (the result code is named in the message)."
        case .unreadable: return "A file or the database cannot be opened or read."
        case .unwritable: return "A file or the database cannot be created or written."
        case .writeInsideRead: return "A read tried to write (a bug in clinic, not in the input); nothing was changed."
        }
    }
}

extension ErrorCode {
    public static var alreadyInitialised: ErrorCode { .init(.alreadyInitialised) }
    public static var ambiguous: ErrorCode { .init(.ambiguous) }
    public static var archived: ErrorCode { .init(.archived) }
    public static var badPassphrase: ErrorCode { .init(.badPassphrase) }
    public static var badSignature: ErrorCode { .init(.badSignature) }
    public static var constraint: ErrorCode { .init(.constraint) }
    public static var contraindication: ErrorCode { .init(.contraindication) }
    public static var duplicate: ErrorCode { .init(.duplicate) }
    public static var exists: ErrorCode { .init(.exists) }
    public static var forbidden: ErrorCode { .init(.forbidden) }
    public static var guardianRequired: ErrorCode { .init(.guardianRequired) }
    public static var invalidTarget: ErrorCode { .init(.invalidTarget) }
    public static var invalidTransition: ErrorCode { .init(.invalidTransition) }
    public static var lastAdmin: ErrorCode { .init(.lastAdmin) }
    public static var lockedOut: ErrorCode { .init(.lockedOut) }
    public static var loginRequired: ErrorCode { .init(.loginRequired) }
    public static var needleCountMismatch: ErrorCode { .init(.needleCountMismatch) }
    public static var noConsent: ErrorCode { .init(.noConsent) }
    public static var notAClinician: ErrorCode { .init(.notAClinician) }
    public static var notOffered: ErrorCode { .init(.notOffered) }
    public static var notASeries: ErrorCode { .init(.notASeries) }
    public static var notForThisSite: ErrorCode { .init(.notForThisSite) }
    public static var notFound: ErrorCode { .init(.notFound) }
    public static var notLoggedIn: ErrorCode { .init(.notLoggedIn) }
    public static var notQualified: ErrorCode { .init(.notQualified) }
    public static var noteNotSigned: ErrorCode { .init(.noteNotSigned) }
    public static var noteSigned: ErrorCode { .init(.noteSigned) }
    public static var outsideHours: ErrorCode { .init(.outsideHours) }
    public static var ownFile: ErrorCode { .init(.ownFile) }
    public static var passphraseChangeRequired: ErrorCode { .init(.passphraseChangeRequired) }
    public static var renameRequired: ErrorCode { .init(.renameRequired) }
    public static var samePassphrase: ErrorCode { .init(.samePassphrase) }
    public static var slotTaken: ErrorCode { .init(.slotTaken) }
    public static var hasBookings: ErrorCode { .init(.hasBookings) }
    public static var hasDraft: ErrorCode { .init(.hasDraft) }
    public static var closed: ErrorCode { .init(.closed) }
    public static var tooEarly: ErrorCode { .init(.tooEarly) }
    public static var untrustedSite: ErrorCode { .init(.untrustedSite) }
    public static var weakPassphraseHash: ErrorCode { .init(.weakPassphraseHash) }
    public static var actorRequired: ErrorCode { .init(.actorRequired) }
    public static var detailRequired: ErrorCode { .init(.detailRequired) }
    public static var disciplineRequired: ErrorCode { .init(.disciplineRequired) }
    public static var emptySearch: ErrorCode { .init(.emptySearch) }
    public static var invalidChart: ErrorCode { .init(.invalidChart) }
    public static var invalidCount: ErrorCode { .init(.invalidCount) }
    public static var invalidCredential: ErrorCode { .init(.invalidCredential) }
    public static var invalidDatabaseURL: ErrorCode { .init(.invalidDatabaseURL) }
    public static var invalidDate: ErrorCode { .init(.invalidDate) }
    public static var invalidDay: ErrorCode { .init(.invalidDay) }
    public static var invalidDuration: ErrorCode { .init(.invalidDuration) }
    public static var invalidEmail: ErrorCode { .init(.invalidEmail) }
    public static var invalidEstim: ErrorCode { .init(.invalidEstim) }
    public static var invalidHandle: ErrorCode { .init(.invalidHandle) }
    public static var invalidID: ErrorCode { .init(.invalidID) }
    public static var invalidKey: ErrorCode { .init(.invalidKey) }
    public static var invalidName: ErrorCode { .init(.invalidName) }
    public static var invalidNeedleSite: ErrorCode { .init(.invalidNeedleSite) }
    public static var invalidNumber: ErrorCode { .init(.invalidNumber) }
    public static var invalidPhone: ErrorCode { .init(.invalidPhone) }
    public static var invalidPrecaution: ErrorCode { .init(.invalidPrecaution) }
    public static var invalidRange: ErrorCode { .init(.invalidRange) }
    public static var invalidReport: ErrorCode { .init(.invalidReport) }
    public static var invalidRole: ErrorCode { .init(.invalidRole) }
    public static var invalidSide: ErrorCode { .init(.invalidSide) }
    public static var invalidSite: ErrorCode { .init(.invalidSite) }
    public static var invalidSiteCode: ErrorCode { .init(.invalidSiteCode) }
    public static var invalidSlug: ErrorCode { .init(.invalidSlug) }
    public static var invalidText: ErrorCode { .init(.invalidText) }
    public static var invalidTime: ErrorCode { .init(.invalidTime) }
    public static var invalidTimezone: ErrorCode { .init(.invalidTimezone) }
    public static var noSuchFile: ErrorCode { .init(.noSuchFile) }
    public static var nonexistentTime: ErrorCode { .init(.nonexistentTime) }
    public static var outOfRange: ErrorCode { .init(.outOfRange) }
    public static var passphraseMismatch: ErrorCode { .init(.passphraseMismatch) }
    public static var passphraseRequired: ErrorCode { .init(.passphraseRequired) }
    public static var recipientRequired: ErrorCode { .init(.recipientRequired) }
    public static var risksRequired: ErrorCode { .init(.risksRequired) }
    public static var sideRequired: ErrorCode { .init(.sideRequired) }
    public static var textRequired: ErrorCode { .init(.textRequired) }
    public static var unknownMuscle: ErrorCode { .init(.unknownMuscle) }
    public static var unknownPoint: ErrorCode { .init(.unknownPoint) }
    public static var usage: ErrorCode { .init(.usage) }
    public static var weakPassphrase: ErrorCode { .init(.weakPassphrase) }
    public static var badFile: ErrorCode { .init(.badFile) }
    public static var badNoteSignature: ErrorCode { .init(.badNoteSignature) }
    public static var corrupt: ErrorCode { .init(.corrupt) }
    public static var locked: ErrorCode { .init(.locked) }
    public static var notInitialised: ErrorCode { .init(.notInitialised) }
    public static var schemaTooNew: ErrorCode { .init(.schemaTooNew) }
    public static var postgres: ErrorCode { .init(.postgres) }
    public static var sqlite: ErrorCode { .init(.sqlite) }
    public static var unreadable: ErrorCode { .init(.unreadable) }
    public static var unwritable: ErrorCode { .init(.unwritable) }
    public static var writeInsideRead: ErrorCode { .init(.writeInsideRead) }
}

/// Codes whose spelling or exit category changed, with what they were, for `docs/errors.md`.
public struct RenamedErrorCode: Sendable {
    /// The spelling or category before the change.
    public let before: String
    /// The code that replaces it.
    public let now: ErrorCode
    /// The release that changed it and why.
    public let note: String

    /// Every change to a published code, oldest first.
    public static let all: [RenamedErrorCode] = [
        RenamedErrorCode(before: "invalid-role (exit 1)", now: .notAClinician,
                         note: "`invalid-role` meant both an unknown role name (64) and a member who is not a clinician (1); the second is now `not-a-clinician`."),
        RenamedErrorCode(before: "invalid-site (needling)", now: .invalidNeedleSite,
                         note: "`invalid-site` meant both a needle site (point or muscle) and a clinic site; the needle one is now `invalid-needle-site`."),
        RenamedErrorCode(before: "not-initialised (exit 1)", now: .notInitialised,
                         note: "A database file without a site was refused with exit 1, a missing file with 74; both are now 74."),
        RenamedErrorCode(before: "constraint (exit 74)", now: .constraint,
                         note: "A database constraint refusing a change caused by input is a refusal (1), not an I/O failure (74)."),
        RenamedErrorCode(before: "unreadable (on a failed write)", now: .unwritable,
                         note: "A database that cannot be created or written (read-only, disk full) is `unwritable`; `unreadable` is kept for opening and reading."),
    ]
}
