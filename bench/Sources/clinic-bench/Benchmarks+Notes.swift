import Foundation
import Models
import Storage

/// Full-text search over many session notes through `Notes.search` (FTS5, `clinic_rank`, audited).
enum NoteBenchmarks {
    /// Clinical words with a skewed frequency, so some searches hit thousands of notes and some a handful.
    static let vocabulary = """
        pain shoulder neck lumbar cervical thoracic trapezius supraspinatus infraspinatus levator scapulae rhomboid gluteus medius
        piriformis hamstring quadriceps gastrocnemius soleus plantar fascia knee hip ankle wrist elbow lateral medial epicondylalgia
        tendinopathy stiffness radiating numbness tingling headache migraine posture ergonomics sleep improved worse unchanged
        needling acupuncture twitch response electrostimulation mobilisation manipulation exercise home program stretching
        strengthening range motion flexion extension rotation abduction adduction palpation tender trigger point referral
        sciatica disc bulge whiplash concussion fatigue stress anxiety runner cyclist swimmer desk worker lifting gardening
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    static func search(path: String, notes: Int, samples: Int) throws {
        let clinic = try Clinic.create(path: path, signers: 1)
        try clinic.bulkAppointments(notes)
        var seed: UInt64 = 42
        func word() -> String {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = Double((seed >> 33) % 1_000_000) / 1_000_000
            return vocabulary[min(vocabulary.count - 1, Int(r * r * Double(vocabulary.count)))]
        }
        func sentence(_ count: Int) -> String { (0..<count).map { _ in word() }.joined(separator: " ") }
        try clinic.draftNotes(kind: 4, limit: notes, captured: false, sentence: sentence)
        let practitioner = clinic.practitioners[0]
        // The searching clinician chooses their passphrase and logs in once; every search is then a new
        // session proven by that login, as `clinic notes search` on a logged-in workstation is.
        let login = try clinic.enrol(practitioner.handle, now: Clinic.setupNow).login(minutes: 600)
        let credentials = Credentials(sessionTokens: [login.token], passphrase: { nil })
        let queries = ["shoulder pain", "trapezius twitch response", "plantar fascia runner", "whiplash concussion", "lumbar"]
        var times: [Double] = []
        var perQuery = [[Double]](repeating: [], count: queries.count)
        var hits = 0
        for index in 0..<samples {
            let session = AuditedSession(db: clinic.db, handle: practitioner.handle, credentials: credentials, now: Clinic.setupNow)
            let time = try Timing.seconds { hits += try Notes(session).search(queries[index % queries.count], limit: 20).count }
            times.append(time)
            perQuery[index % queries.count].append(time)
        }
        var report = Report("fts")
        report.add("notes", notes)
        report.add("hits", hits)
        report.add("ms", Timing.median(times) * 1000)
        // Each query's own median, to see which kind of search (a common word or a rare one) costs what.
        for (index, query) in queries.enumerated() where !perQuery[index].isEmpty {
            report.add("ms_" + query.replacingOccurrences(of: " ", with: "_"), Timing.median(perQuery[index]) * 1000)
        }
        // The floor under a search: FTS5 finding the same matches without ranking them (`count(*)`).
        var matchTimes: [Double] = []
        for index in 0..<samples {
            let query = queries[index % queries.count]
            matchTimes.append(try Timing.seconds { _ = try clinic.db.first("SELECT count(*) FROM note_text WHERE note_text MATCH ?", [query]) })
        }
        report.add("match_ms", Timing.median(matchTimes) * 1000)
        report.print()
    }
}
