import Models
import Testing

@Suite("A note's session is its appointment as it now stands")
struct NoteSessionTests {
    let toronto = try! SiteTimeZone("America/Toronto") // a literal IANA name

    /// An appointment of `practitioner` starting at the ISO instant `start`.
    func appointment(_ practitioner: String, at start: String) throws -> Appointment {
        let millis = Instant.millis(try #require(ISOInstant.parse(start)))
        return Appointment(id: "a", patientID: "p", practitionerID: practitioner, roomID: "r", serviceID: "s",
                           span: TimeSpan(start: millis, end: millis + 1_800_000), status: .booked)
    }

    @Test("the session date is the start's date in the site's zone, not in UTC", arguments: [
        ("2026-11-24T03:30:00Z", "2026-11-23"),
        ("2026-11-23T14:00:00Z", "2026-11-23"),
        ("2026-11-24T05:00:00Z", "2026-11-24"),
    ])
    func dateInZone(start: String, expected: String) throws {
        let session = NoteSession(appointment: try appointment("jdoe", at: start), zone: toronto)
        #expect(session.date == date(expected))
        #expect(session.practitionerID == "jdoe")
    }

    @Test("a session is signed from its start on, never before")
    func tooEarly() throws {
        let session = NoteSession(appointment: try appointment("jdoe", at: "2026-11-23T15:00:00Z"), zone: toronto)
        #expect(clinicErrorCode { try NoteSigning.requireStarted(session, now: session.start - 1) } == "too-early")
        #expect(clinicErrorCode { try NoteSigning.requireStarted(session, now: session.start) } == nil)
        #expect(clinicErrorCode { try NoteSigning.requireStarted(session, now: session.start + 86_400_000) } == nil)
    }

    @Test("signing a future session is refused before anything else is checked")
    func tooEarlyComesFirst() throws {
        let session = NoteSession(appointment: try appointment("jdoe", at: "2026-11-30T14:00:00Z"), zone: toronto)
        let entry = NeedlingEntry(point: nil, muscle: try MuscleCatalog.muscle("upper trapezius"), side: .right, count: 2)
        let context = SigningContext(session: session, now: session.start - 3_600_000, dateOfBirth: date("1980-04-02"), entries: [entry],
                                     needlesRemoved: 0, consents: [], signerCredentials: [], precautions: [], acknowledged: [])
        #expect(clinicErrorCode { try NoteSigning.check(context, signer: "jdoe") } == "too-early")
        var started = context
        started.now = session.start
        #expect(clinicErrorCode { try NoteSigning.check(started, signer: "jdoe") } == "no-consent")
    }

    @Test("consent is judged on the session's current date")
    func consentOnCurrentDate() throws {
        let entry = NeedlingEntry(point: nil, muscle: try MuscleCatalog.muscle("upper trapezius"), side: .right, count: 1)
        let consents = [ConsentEvent(intervention: .dryNeedling, action: .given, date: date("2026-11-01")),
                        ConsentEvent(intervention: .dryNeedling, action: .withdrawn, date: date("2026-11-20"))]
        let credentials = [Credential(scope: .dryNeedling, regulator: "OPPQ", number: "1", expires: nil)]
        func check(_ start: String) throws -> String? {
            let session = NoteSession(appointment: try appointment("jdoe", at: start), zone: toronto)
            let context = SigningContext(session: session, now: session.start, dateOfBirth: date("1980-04-02"), entries: [entry],
                                         needlesRemoved: 1, consents: consents, signerCredentials: credentials, precautions: [], acknowledged: [])
            return clinicErrorCode { try NoteSigning.check(context, signer: "jdoe") }
        }
        #expect(try check("2026-11-16T14:00:00Z") == nil)
        #expect(try check("2026-11-23T14:00:00Z") == "no-consent")
    }

    @Test("a signed note pins its appointment; drafts and no note do not", arguments: [
        ([NoteStatus](), nil as String?), ([.draft], nil), ([.signed], "note-signed"), ([.draft, .signed], "note-signed"),
    ])
    func pinnedBySignature(statuses: [NoteStatus], expected: String?) {
        #expect(clinicErrorCode { try NoteSession.requireChangeable(noteStatuses: statuses, .cancel) } == expected)
        #expect(clinicErrorCode { try NoteSession.requireChangeable(noteStatuses: statuses, .move) } == expected)
    }

    @Test("a draft takes its appointment's new date and practitioner; a signed note or one in step is left alone")
    func draftFollows() throws {
        let session = NoteSession(appointment: try appointment("mroy", at: "2026-11-30T14:00:00Z"), zone: toronto)
        #expect(session.draftFollows(status: .draft, author: "jdoe", date: date("2026-11-30")))
        #expect(session.draftFollows(status: .draft, author: "mroy", date: date("2026-11-23")))
        #expect(session.draftFollows(status: .draft, author: "mroy", date: nil))
        #expect(!session.draftFollows(status: .draft, author: "mroy", date: date("2026-11-30")))
        #expect(!session.draftFollows(status: .signed, author: "jdoe", date: date("2026-11-23")))
    }
}
