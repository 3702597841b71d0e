import Foundation
import Storage
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Helpers for sync tests across several database files

/// One site in a sync test: its own database, code and admin handle.
struct SyncSite {
    var clinic: ClinicProcess
    let code: String
    let admin: String

    /// The folder of this site's database, where its outgoing change logs are written.
    var folder: String { URL(fileURLWithPath: clinic.database).deletingLastPathComponent().path }

    /// A fresh, unique file path beside this site's database.
    func newFile(_ label: String) -> String {
        (folder as NSString).appendingPathComponent("\(label)-\(UUID().uuidString).jsonl")
    }

    func digest(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let json = try clinic.ok(["sync", "digest"], sourceLocation: sourceLocation)
        let digest = try #require(json["digest"] as? String, "sync digest --json at \(code)", sourceLocation: sourceLocation)
        #expect(digest.count == 64, sourceLocation: sourceLocation)
        return digest
    }

    /// The plain `sync digest` output: the hex alone.
    func plainDigest() throws -> String {
        let result = try clinic.run(["sync", "digest"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func publicKey() throws -> String {
        let json = try clinic.ok(["sync", "key"])
        return try #require(json["key"] as? String)
    }

    /// `sync export --for CODE --to FILE`; returns the file and its change count.
    @discardableResult
    func export(for recipient: String, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> (file: String, changes: Int) {
        let file = newFile("\(code)-for-\(recipient)")
        let json = try clinic.ok(["sync", "export", "--for", recipient, "--to", file] + extra, sourceLocation: sourceLocation)
        let changes = try #require(intValue(json["changes"]), "export \(code)→\(recipient): \(json)", sourceLocation: sourceLocation)
        return (file, changes)
    }

    /// `sync import FILE --json`, which must succeed; returns the summary.
    @discardableResult
    func importFile(_ file: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ImportSummary {
        let result = try clinic.run(["sync", "import", file, "--json"])
        #expect(result.status == 0, "import at \(code): \(result.stderr)", sourceLocation: sourceLocation)
        return ImportSummary(result.json)
    }

    func conflicts(all: Bool = false) throws -> [[String: Any]] {
        let json = try clinic.ok(["sync", "conflicts"] + (all ? ["--all"] : []))
        return json["conflicts"] as? [[String: Any]] ?? []
    }
}

struct ImportSummary: CustomStringConvertible {
    let applied: Int?
    let alreadySeen: Int?
    let conflicts: Int?
    let quarantined: Int?
    let from: String?

    init(_ json: [String: Any]) {
        applied = intValue(json["applied"])
        alreadySeen = intValue(json["already_seen"])
        conflicts = intValue(json["conflicts"])
        quarantined = intValue(json["quarantined"])
        from = json["from"] as? String
    }

    var description: String {
        "applied \(applied.map(String.init) ?? "nil"), already_seen \(alreadySeen.map(String.init) ?? "nil"), "
            + "conflicts \(conflicts.map(String.init) ?? "nil"), quarantined \(quarantined.map(String.init) ?? "nil"), from \(from ?? "nil")"
    }
}

func intValue(_ value: Any?) -> Int? {
    if let number = value as? NSNumber { return number.intValue }
    return value as? Int
}

/// A new site with its own admin handle (distinct handles keep `duplicate-handle` conflicts away).
func syncSite(code: String, name: String, admin: String, zone: String = "America/Toronto", now: String? = nil) throws -> SyncSite {
    var clinic = ClinicProcess()
    if let now { clinic.now = now }
    clinic.actor = admin
    try clinic.ok(["init", "--site-code", code, "--site-name", name, "--timezone", zone, "--admin", admin, "--test-clock"])
    return SyncSite(clinic: clinic, code: code, admin: admin)
}

/// A (MTL): staff, rooms, services, patients from `schedulingSite()` plus a few bookings.
func montrealSite(_ backend: Backend = .sqlite) throws -> SyncSite {
    let clinic = try schedulingSite(backend)
    try clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-01 09:00"])
    try clinic.ok(["book", "--patient", "MTL-000002", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-01 09:00"])
    try clinic.ok(["book", "--patient", "MTL-000003", "--with", "jdoe", "--service", "dn-30", "--at", "2026-12-02 11:00"])
    return SyncSite(clinic: clinic, code: "MTL", admin: "admin")
}

/// Every site records every other site's key.
func trustPairwise(_ sites: [SyncSite]) throws {
    let keys = try sites.map { try $0.publicKey() }
    for (i, site) in sites.enumerated() {
        for (j, other) in sites.enumerated() where i != j {
            try site.clinic.ok(["sync", "trust", "--site", other.code, "--key", keys[j], "--as", site.admin])
        }
    }
}

/// `from` exports for `to`, `to` imports it.
@discardableResult
func send(_ from: SyncSite, _ to: SyncSite, sourceLocation: SourceLocation = #_sourceLocation) throws -> (file: String, changes: Int, summary: ImportSummary) {
    let (file, changes) = try from.export(for: to.code, sourceLocation: sourceLocation)
    let summary = try to.importFile(file, sourceLocation: sourceLocation)
    return (file, changes, summary)
}

/// Every site sends to every other site once (ordered pairs).
func exchangeAll(_ sites: [SyncSite]) throws {
    for from in sites {
        for to in sites where to.code != from.code {
            try send(from, to)
        }
    }
}

/// MTL (with data), QC and LAV, keys trusted pairwise.
func threeSites() throws -> (a: SyncSite, b: SyncSite, c: SyncSite) {
    let a = try montrealSite()
    let b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
    let c = try syncSite(code: "LAV", name: "Laval", admin: "lavadmin")
    try trustPairwise([a, b, c])
    return (a, b, c)
}

/// Copies a closed SQLite database (main file and WAL) over another path, removing stale side files.
func copyDatabase(from source: String, to target: String) throws {
    let fileManager = FileManager.default
    for suffix in ["", "-wal", "-shm", "-journal"] {
        try? fileManager.removeItem(atPath: target + suffix)
    }
    for suffix in ["", "-wal"] where fileManager.fileExists(atPath: source + suffix) {
        try fileManager.copyItem(atPath: source + suffix, toPath: target + suffix)
    }
}

func readBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

/// The file's lines without their newlines (the last element is empty when the file ends with one).
func lines(_ bytes: [UInt8]) -> [[UInt8]] { bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) }

func joinLines(_ lines: [[UInt8]]) -> [UInt8] { Array(lines.joined(separator: [0x0A])) }

/// Replaces the first occurrence of `old` in `bytes` with `new`; nil when absent.
func replacingFirst(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8]? {
    let needle = Array(old.utf8)
    guard needle.count <= bytes.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
        return Array(bytes[..<start]) + Array(new.utf8) + Array(bytes[(start + needle.count)...])
    }
    return nil
}

let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

// MARK: - Tests

@Suite("Sync between sites through the real binary")
struct SyncCLITests {
    @Test("three sites: A→B→C relays A's changes; everyone-with-everyone converges; re-import changes nothing")
    func relayAndConvergence() throws {
        let (a, b, c) = try threeSites()
        let aSchedule = appointments(try a.clinic.ok(["schedule", "--week", "2026-12-01"]))
        #expect(aSchedule.count == 3)

        // A→B, then B→C: C gets A's data without ever meeting A.
        let ab = try send(a, b)
        #expect(ab.changes > 0)
        #expect(ab.summary.applied == ab.changes, "\(ab.summary)")
        #expect(ab.summary.alreadySeen == 0)
        #expect(ab.summary.from == "MTL")
        let bc = try send(b, c)
        #expect(bc.changes > ab.changes, "B's log for C relays A's changes as well as B's own")
        #expect(bc.summary.applied == bc.changes, "\(bc.summary)")
        #expect(bc.summary.from == "QC")
        let relayed = appointments(try c.clinic.ok(["schedule", "--week", "2026-12-01", "--site", "MTL"]))
        #expect(Set(relayed.compactMap { $0["id"] as? String }) == Set(aSchedule.compactMap { $0["id"] as? String }))
        let staffAtC = try c.clinic.run(["staff", "list"])
        #expect(staffAtC.stdout.contains("jdoe") && staffAtC.stdout.contains("mroy"))
        #expect(try c.clinic.run(["patient", "show", "MTL-000002", "--json"]).status == 0)
        #expect(try c.conflicts().isEmpty)

        // Everyone with everyone: the three digests agree, and the plain output is the same hex.
        try exchangeAll([a, b, c])
        let digests = try [a, b, c].map { try $0.digest() }
        #expect(Set(digests).count == 1, "digests after a full exchange: \(digests)")
        #expect(try a.plainDigest() == digests[0])
        for site in [a, b, c] {
            #expect(try site.conflicts().isEmpty, "conflicts at \(site.code)")
        }

        // A second import of the same files: nothing applied, everything already seen, digest unchanged.
        let again = try b.importFile(ab.file)
        #expect(again.applied == 0, "\(again)")
        #expect(again.alreadySeen == ab.changes, "\(again)")
        #expect(again.quarantined == 0)
        let relayAgain = try c.importFile(bc.file)
        #expect(relayAgain.applied == 0, "\(relayAgain)")
        #expect(relayAgain.alreadySeen == bc.changes, "\(relayAgain)")
        #expect(try b.digest() == digests[0])
        #expect(try c.digest() == digests[0])

        // A second round: everyone already has everything, so nothing is applied anywhere.
        for from in [a, b, c] {
            for to in [a, b, c] where to.code != from.code {
                let round = try send(from, to)
                #expect(round.summary.applied == 0 && round.summary.alreadySeen == round.changes, "\(from.code)→\(to.code): \(round.summary)")
            }
        }
        #expect(try [a, b, c].map { try $0.digest() } == digests)

        // Acknowledgements are current now: an incremental export holds nothing, a full one only what QC already has.
        let empty = try a.export(for: "QC")
        #expect(empty.changes == 0)
        let full = try a.export(for: "QC", extra: ["--full"])
        #expect(full.changes > 0)
        let fullAgain = try b.importFile(full.file)
        #expect(fullAgain.applied == 0 && fullAgain.alreadySeen == full.changes, "\(fullAgain)")
        #expect(try b.digest() == digests[0])
    }

    @Test("a double booking made offline at two sites is listed everywhere under one id; resolving it syncs")
    func doubleBookingConflict() throws {
        let (a, b, c) = try threeSites()
        try exchangeAll([a, b, c])
        let converged = try [a, b, c].map { try $0.digest() }
        #expect(Set(converged).count == 1)

        // Offline: QC's and LAV's desks book jdoe in Montréal at overlapping times.
        let atB = appointments(try b.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-03 10:00", "--site", "MTL"]))
        let atC = appointments(try c.clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-03 10:15", "--site", "MTL"]))
        let bookingB = try #require(atB.first?["id"] as? String)
        let bookingC = try #require(atC.first?["id"] as? String)

        try exchangeAll([a, b, c])
        var ids: [String] = []
        var sides: [Set<String>] = []
        var keptRef: String?
        for site in [a, b, c] {
            let open = try site.conflicts()
            #expect(open.count == 1, "conflicts at \(site.code): \(open)")
            let conflict = try #require(open.first)
            #expect(conflict["kind"] as? String == "double-booking")
            let sideA = try #require(conflict["a"] as? [String: Any])
            let sideB = try #require(conflict["b"] as? [String: Any])
            let refA = try #require(sideA["ref"] as? String)
            let refB = try #require(sideB["ref"] as? String)
            // Both versions are shown: each side's booking with its times.
            let versionA = try #require(sideA["version"] as? [String: Any], "side A has a version at \(site.code)")
            let versionB = try #require(sideB["version"] as? [String: Any], "side B has a version at \(site.code)")
            #expect(versionA["start_ms"] != nil && versionB["start_ms"] != nil)
            #expect(versionA["id"] as? String == refA && versionB["id"] as? String == refB)
            ids.append(try #require(conflict["id"] as? String))
            sides.append([refA, refB])
            if keptRef == nil { keptRef = refA } else { #expect(keptRef == refA, "side A is the same at every site") }
        }
        #expect(Set(ids).count == 1, "one conflict id everywhere: \(ids)")
        #expect(sides.allSatisfy { $0 == [bookingB, bookingC] })
        let conflictID = try #require(ids.first)
        let kept = try #require(keptRef)
        let dropped = kept == bookingB ? bookingC : bookingB

        // Resolve at QC, keeping A: the other booking is cancelled.
        let resolved = try b.clinic.ok(["sync", "conflicts", "--resolve", conflictID, "--keep", "A", "--as", b.admin])
        #expect(resolved["resolution"] as? String == "A")
        #expect(try b.conflicts().isEmpty)

        try exchangeAll([a, b, c])
        let digests = try [a, b, c].map { try $0.digest() }
        #expect(Set(digests).count == 1, "digests after resolving and exchanging: \(digests)")
        for site in [a, b, c] {
            #expect(try site.conflicts().isEmpty, "no open conflict at \(site.code)")
            let day = appointments(try site.clinic.ok(["schedule", "--date", "2026-12-03", "--site", "MTL"]))
            let status = Dictionary(day.compactMap { item in (item["id"] as? String).map { ($0, item["status"] as? String ?? "") } }) { first, _ in first }
            #expect(status[kept] == "booked", "kept booking at \(site.code): \(day)")
            #expect(status[dropped] == nil || status[dropped] == "cancelled", "dropped booking at \(site.code): \(day)")
        }
        // Resolving again anywhere is refused: the conflict no longer holds (or is resolved).
        let twice = try c.clinic.run(["sync", "conflicts", "--resolve", conflictID, "--keep", "B", "--as", c.admin, "--json"])
        #expect(twice.status != 0)
    }

    @Test("a note started at one site on a booking cancelled at another while offline is listed everywhere")
    func noteOnCancelledConflict() throws {
        let (a, b, c) = try threeSites()
        try exchangeAll([a, b, c])
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-01"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" || $0["with"] as? String == "jdoe" }?["id"] as? String,
                                   "jdoe's booking on 2026-12-01: \(day)")

        // Offline: MTL writes a note for the session, LAV cancels it.
        let note = try #require(try a.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try c.clinic.ok(["cancel", booking, "--reason", "patient called"])

        try exchangeAll([a, b, c])
        for site in [a, b, c] {
            let open = try site.conflicts()
            #expect(open.map { $0["kind"] as? String } == ["note-on-cancelled"], "conflicts at \(site.code): \(open)")
            // The booking is side A and the note side B, whichever id is smaller.
            let refs = open.first.map { [($0["a"] as? [String: Any])?["ref"] as? String, ($0["b"] as? [String: Any])?["ref"] as? String] }
            #expect(refs == [booking, note], "both sides at \(site.code): \(open)")
        }

        // A site at schema 9 stored the pair smaller id first, the note possibly as side A: the upgrade turns it round.
        do {
            let db = try Database(path: a.clinic.database)
            try db.executeScript("""
                UPDATE conflict SET a_ref = b_ref, b_ref = a_ref WHERE kind = 'note-on-cancelled';
                PRAGMA user_version = 9;
                """)
        }
        let upgraded = try a.conflicts().first.map { [($0["a"] as? [String: Any])?["ref"] as? String, ($0["b"] as? [String: Any])?["ref"] as? String] }
        #expect(upgraded == [booking, note], "after the upgrade: \(String(describing: upgraded))")
    }

    @Test("a note signed at one site and edited or needled at another while offline lists each late change everywhere")
    func editAfterSignConflict() throws {
        var (a, b, c) = try threeSites()
        // The afternoon of the session (jdoe's 11:00 on 2026-12-02) at every site: a note is signed once its session has started.
        a.clinic.now = "2026-12-02T17:00:00Z"
        b.clinic.now = a.clinic.now
        c.clinic.now = a.clinic.now
        let day = appointments(try a.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String, "jdoe's booking: \(day)")
        let note = try #require(try a.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try a.clinic.ok(["note", "edit", note, "--subjective", "Neck pain after desk work", "--as", "jdoe"])
        try exchangeAll([a, b, c])

        // Offline: MTL signs; QC, still holding the draft, edits the plan and records needling.
        try a.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try b.clinic.ok(["note", "edit", note, "--plan", "Home stretches", "--as", "jdoe"])
        try b.clinic.ok(["note", "needle", note, "--muscle", "upper trapezius", "--side", "right", "--gauge", "0.25", "--length", "30",
                         "--depth", "15mm", "--technique", "pistoning", "--count", "1", "--as", "jdoe"])

        try exchangeAll([a, b, c])
        var lists: [[String]] = []
        for site in [a, b, c] {
            let open = try site.conflicts().filter { $0["kind"] as? String == "edit-after-sign" }
            #expect(open.count == 2, "late changes at \(site.code): \(open)")
            lists.append(open.compactMap { $0["id"] as? String }.sorted())
        }
        #expect(Set(lists).count == 1, "the same conflicts at every site: \(lists)")

        // The late plan's text is clinical: the clinician sees it in the conflict, the desk and the admin do not.
        let asClinician = try a.clinic.run(["sync", "conflicts", "--json", "--as", "jdoe"])
        #expect(asClinician.status == 0 && asClinician.stdout.contains("Home stretches"), "\(asClinician.stderr)")
        for handle in ["desk", "admin"] {
            let listed = try a.clinic.run(["sync", "conflicts", "--json", "--as", handle])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(!listed.stdout.contains("Home stretches") && !listed.stdout.contains("trapezius"), "\(handle) sees clinical values: \(listed.stdout)")
            #expect(listed.stdout.contains("edit-after-sign"))
        }
    }

    @Test("refused files: untrusted, revoked, bad signature, other recipient, truncated, edited, newer format; digest unchanged")
    func refusals() throws {
        let (a, b, c) = try threeSites()
        // B and C have A's data already; A then makes more changes that B has not seen.
        try send(a, b)
        try send(a, c)
        try a.clinic.ok(["room", "add", "Bed 3"])
        try a.clinic.ok(["patient", "add", "--first", "Olga", "--last", "Nouvelle", "--dob", "1975-07-07"])
        try a.clinic.ok(["book", "--patient", "MTL-000004", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-04 13:00"])
        let good = try a.export(for: "QC")
        #expect(good.changes > 0)
        let plain = try a.export(for: "QC", extra: ["--plaintext"])
        #expect(plain.changes == good.changes)
        let before = try b.digest()

        func expectRefused(_ site: SyncSite, _ file: String, _ status: Int32, _ code: String, _ label: String,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
            let digest = try site.digest()
            let result = try site.clinic.run(["sync", "import", file, "--json"])
            #expect(result.status == status, "\(label): exit \(result.status), \(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.errorCode == code, "\(label): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(try site.digest() == digest, "\(label): the digest changed", sourceLocation: sourceLocation)
        }

        // A site nobody trusts (it trusts QC, so it can encrypt for it).
        let stranger = try syncSite(code: "ZZ", name: "Nowhere", admin: "zzadmin")
        try stranger.clinic.ok(["room", "add", "Couch"])
        try stranger.clinic.ok(["sync", "trust", "--site", "QC", "--key", try b.publicKey(), "--as", stranger.admin])
        let strangerFile = try stranger.export(for: "QC")
        try expectRefused(b, strangerFile.file, 1, "untrusted-site", "file from an untrusted site")

        // Revoked: the same (valid) file from A is refused once B revokes A; trusting A again restores it.
        try b.clinic.ok(["sync", "trust", "--revoke", "MTL", "--as", b.admin])
        let listed = try b.clinic.ok(["sync", "trust", "--list", "--as", b.admin])
        let mtl = (listed["trusted"] as? [[String: Any]] ?? []).first { $0["site"] as? String == "MTL" }
        #expect(mtl?["revoked_at"] as? String != nil, "trust --list shows the revocation: \(listed)")
        try expectRefused(b, good.file, 1, "untrusted-site", "file from a revoked site")
        try b.clinic.ok(["sync", "trust", "--site", "MTL", "--key", try a.publicKey(), "--as", b.admin])

        let goodBytes = try readBytes(good.file)
        let goodLines = lines(goodBytes)
        #expect(goodLines.count >= 4 && goodLines.last?.isEmpty == true)

        // Signature in the trailer changed (its first base64 character): parseable, trusted signer, fails → 1 bad-signature.
        do {
            var edited = goodLines
            let trailerIndex = edited.count - 2
            let marker = Array("\"signature\":\"".utf8)
            let trailer = edited[trailerIndex]
            let at = try #require((0...(trailer.count - marker.count)).first { trailer[$0..<$0 + marker.count].elementsEqual(marker) })
            let position = at + marker.count
            edited[trailerIndex][position] = trailer[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let file = a.newFile("bad-signature")
            try writeBytes(joinLines(edited), to: file)
            try expectRefused(b, file, 1, "bad-signature", "trailer signature changed")
        }
        // One digit of the header's created_at changed: still a valid header, but the signature no longer covers it → 1 bad-signature.
        do {
            var header = goodLines[0]
            let marker = Array("\"created_at\":".utf8)
            let at = try #require((0...(header.count - marker.count)).first { header[$0..<$0 + marker.count].elementsEqual(marker) })
            var end = at + marker.count
            while end < header.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(header[end]) { end += 1 }
            let digit = header[end - 1] - UInt8(ascii: "0")
            header[end - 1] = UInt8(ascii: "0") + (digit + 1) % 10
            var edited = goodLines
            edited[0] = header
            let file = a.newFile("header-edited")
            try writeBytes(joinLines(edited), to: file)
            try expectRefused(b, file, 1, "bad-signature", "header created_at edited")
        }
        // One byte of the header that makes it unparseable → 65 bad-file (the first check).
        do {
            var edited = goodLines
            edited[0][0] = UInt8(ascii: "[")
            let file = a.newFile("header-unparseable")
            try writeBytes(joinLines(edited), to: file)
            try expectRefused(b, file, 65, "bad-file", "header made unparseable")
        }
        // A file written for QC, replayed at LAV (which trusts MTL) → 1 not-for-this-site.
        try expectRefused(c, good.file, 1, "not-for-this-site", "file for QC imported at LAV")
        try expectRefused(c, plain.file, 1, "not-for-this-site", "plaintext file for QC imported at LAV")

        // Truncated: half the bytes; and the whole file without its trailer line.
        do {
            let half = a.newFile("truncated-half")
            try writeBytes(Array(goodBytes[..<(goodBytes.count / 2)]), to: half)
            try expectRefused(b, half, 65, "bad-file", "truncated to half")
            let noTrailer = a.newFile("truncated-trailer")
            try writeBytes(joinLines(Array(goodLines[..<(goodLines.count - 2)]) + [[]]), to: noTrailer)
            try expectRefused(b, noTrailer, 65, "bad-file", "trailer cut off")
            let noNewline = a.newFile("truncated-newline")
            try writeBytes(Array(goodBytes.dropLast()), to: noNewline)
            try expectRefused(b, noNewline, 65, "bad-file", "last newline cut off")
            let empty = a.newFile("empty")
            try writeBytes([], to: empty)
            try expectRefused(b, empty, 65, "bad-file", "empty file")
        }
        // One byte changed in the middle of an encrypted chunk line → 65 bad-file.
        do {
            var edited = goodLines
            let chunk = edited[1]
            #expect(chunk.count > 40)
            let middle = chunk.count / 2
            edited[1][middle] = chunk[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let file = a.newFile("chunk-flipped")
            try writeBytes(joinLines(edited), to: file)
            try expectRefused(b, file, 65, "bad-file", "encrypted chunk byte changed")
        }
        // A plaintext (signed) log with one change line edited → 65 bad-file.
        let plainBytes = try readBytes(plain.file)
        let plainLines = lines(plainBytes)
        #expect(plainLines.count == plain.changes + 3, "header, one line per change, trailer, final newline")
        do {
            let edited = try #require(replacingFirst("Bed 3", with: "Bed 9", in: plainBytes), "the plaintext log names the new room")
            let file = a.newFile("plain-edited")
            try writeBytes(edited, to: file)
            try expectRefused(b, file, 65, "bad-file", "plaintext change line edited")
            // A change line left out: the count and body hash no longer match.
            var dropped = plainLines
            dropped.remove(at: 1)
            let droppedFile = a.newFile("plain-line-dropped")
            try writeBytes(joinLines(dropped), to: droppedFile)
            try expectRefused(b, droppedFile, 65, "bad-file", "plaintext change line removed")
        }
        // A header claiming a newer format version (or schema) → 65 bad-file, before any signature check.
        do {
            let newer = try #require(replacingFirst("\"format_version\":1,", with: "\"format_version\":99,", in: plainBytes),
                                     "header has format_version 1: \(String(decoding: plainLines[0], as: UTF8.self))")
            let file = a.newFile("newer-format")
            try writeBytes(newer, to: file)
            try expectRefused(b, file, 65, "bad-file", "newer format_version")
            let header = String(decoding: plainLines[0], as: UTF8.self)
            let schema = try #require(header.range(of: #""schema_version":\d+"#, options: .regularExpression).map { String(header[$0]) })
            let newerSchema = try #require(replacingFirst(schema, with: "\"schema_version\":9999", in: plainBytes))
            let schemaFile = a.newFile("newer-schema")
            try writeBytes(newerSchema, to: schemaFile)
            try expectRefused(b, schemaFile, 65, "bad-file", "newer schema_version")
        }
        #expect(try b.digest() == before, "no refusal changed QC")

        // After all that, the untouched files import fine.
        let applied = try b.importFile(good.file)
        #expect((applied.applied ?? 0) > 0, "\(applied)")
        #expect((applied.applied ?? 0) + (applied.alreadySeen ?? 0) == good.changes, "\(applied)")
        let plainAgain = try b.importFile(plain.file)
        #expect(plainAgain.applied == 0 && plainAgain.alreadySeen == plain.changes, "\(plainAgain)")
        #expect(try b.digest() != before)
    }

    @Test("a byte flipped anywhere in an encrypted or plaintext log is refused and changes nothing")
    func flippedBytes() throws {
        let a = try montrealSite()
        let b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([a, b])
        try send(a, b)
        try send(b, a)  // A learns what QC has, so its next log is small
        try a.clinic.ok(["room", "add", "Bed 3"])
        try a.clinic.ok(["patient", "add", "--first", "Olga", "--last", "Nouvelle", "--dob", "1975-07-07"])
        try a.clinic.ok(["book", "--patient", "MTL-000004", "--with", "mroy", "--service", "physio-30", "--at", "2026-12-04 13:00"])
        let sealed = try a.export(for: "QC")
        let plain = try a.export(for: "QC", extra: ["--plaintext"])
        #expect(sealed.changes > 0 && sealed.changes < 20, "a small incremental log: \(sealed.changes) changes")
        let before = try b.digest()
        // QC as it is now, to try each padding edit on a fresh copy.
        let pristine = ClinicProcess().database
        try copyDatabase(from: b.clinic.database, to: pristine)

        for (label, file, step) in [("sealed", sealed.file, 97), ("plaintext", plain.file, 89)] {
            let original = try readBytes(file)
            var positions = Array(stride(from: 0, to: original.count, by: step))
            positions.append(original.count - 2)  // inside the trailer, just before the last newline
            var refused = 0
            for position in positions {
                var bytes = original
                bytes[position] ^= 0x01
                let flipped = a.newFile("\(label)-flip-\(position)")
                try writeBytes(bytes, to: flipped)
                let result = try b.clinic.run(["sync", "import", flipped, "--json"])
                let context = "\(label) byte \(position) of \(original.count) (\(String(UnicodeScalar(original[position])))→\(String(UnicodeScalar(bytes[position])))): exit \(result.status) \(result.stdout)\(result.stderr)"
                #expect(result.status == 1 || result.status == 65, "\(context)")
                #expect(["bad-file", "bad-signature", "untrusted-site", "not-for-this-site"].contains(result.errorCode ?? ""), "\(context)")
                #expect(try b.digest() == before, "digest changed: \(context)")
                if result.status == 1 || result.status == 65 { refused += 1 }
                try? FileManager.default.removeItem(atPath: flipped)
            }
            #expect(refused == positions.count, "\(label): \(refused) of \(positions.count) flipped files refused")
        }

        // The base64 padding bits: the last significant character of the signature and of the last sealed chunk.
        for (label, file, lineFromEnd) in [("signature", sealed.file, 2), ("last chunk", sealed.file, 3)] {
            let original = try readBytes(file)
            var allLines = lines(original)
            let index = allLines.count - lineFromEnd
            var line = allLines[index]
            // In the trailer the signature string ends with `=="}}`; in a chunk line the text ends with the padding.
            var end = line.count
            if label == "signature" {
                let marker = Array("\"signature\":\"".utf8)
                let at = try #require((0...(line.count - marker.count)).first { line[$0..<$0 + marker.count].elementsEqual(marker) })
                end = try #require(line[(at + marker.count)...].firstIndex(of: UInt8(ascii: "\"")))
            }
            var last = end - 1
            while last > 0, line[last] == UInt8(ascii: "=") { last -= 1 }
            let padding = end - 1 - last
            // With padding, the last significant character carries 2 or 4 unused low bits.
            guard padding > 0 else { continue }
            let value = try #require(base64Alphabet.firstIndex(of: line[last]), "\(label) ends in base64")
            line[last] = base64Alphabet[value ^ 1]  // changes only a bit the decoder should find unused
            allLines[index] = line
            let edited = a.newFile("padding-\(label.replacingOccurrences(of: " ", with: "-"))")
            try writeBytes(joinLines(allLines), to: edited)
            #expect(try readBytes(edited) != original)
            let copy = SyncSite(clinic: ClinicProcess(actor: "qcadmin"), code: "QC", admin: "qcadmin")
            try copyDatabase(from: pristine, to: copy.clinic.database)
            let result = try copy.clinic.run(["sync", "import", edited, "--json"])
            #expect(result.status == 1 || result.status == 65,
                    "a file with a changed byte (the unused low bit of the \(label)'s last base64 character) was accepted: exit \(result.status) \(result.stdout)\(result.stderr)")
            #expect(try copy.digest() == before, "\(label) padding: digest changed")
        }

        // The untouched file still imports.
        #expect(try b.digest() == before)
        let summary = try b.importFile(sealed.file)
        #expect(summary.applied == sealed.changes, "\(summary)")
    }

    @Test("changes stamped more than 5 minutes ahead are quarantined, listed, and applied on accept or once time catches up")
    func quarantine() throws {
        let now = "2026-11-23T14:00:00Z"
        let ahead = try syncSite(code: "FUT", name: "Ahead", admin: "futadmin", now: "2026-11-23T14:10:00Z")
        try ahead.clinic.ok(["room", "add", "Salle A"])
        try ahead.clinic.ok(["patient", "add", "--first", "Futur", "--last", "Lointain", "--dob", "1990-01-01"])
        try ahead.clinic.ok(["patient", "add", "--first", "Demain", "--last", "Proche", "--dob", "1991-02-02"])
        let b = try syncSite(code: "QC", name: "Québec", admin: "qcadmin", now: now)
        try b.clinic.ok(["staff", "add", "qcdesk", "--name", "QC Desk", "--role", "front-desk"])
        try trustPairwise([ahead, b])
        let before = try b.digest()

        let file = try ahead.export(for: "QC")
        #expect(file.changes > 0)
        let summary = try b.importFile(file.file)
        #expect(summary.quarantined == file.changes, "\(summary)")
        #expect(summary.applied == 0, "\(summary)")
        #expect(try b.digest() == before, "quarantined changes are not applied")

        let status = try b.clinic.ok(["sync", "status"])
        let held = status["quarantine"] as? [[String: Any]] ?? []
        #expect(held.count == file.changes, "sync status lists the quarantined changes: \(status)")
        #expect(held.allSatisfy { $0["origin"] as? String == "FUT" && $0["received_from"] as? String == "FUT" })
        let listed = try b.clinic.ok(["sync", "quarantine"])
        #expect((listed["quarantine"] as? [Any])?.count == file.changes)
        let shown = try b.clinic.run(["sync", "quarantine"])
        #expect(shown.stdout.contains("2026-11-23 09:10") && !shown.stdout.contains("T14:10"), "stamped, in QC's zone: \(shown.stdout)")

        // A copy of QC that waits instead of accepting.
        var waiting = SyncSite(clinic: ClinicProcess(actor: "qcadmin"), code: "QC", admin: "qcadmin")
        try copyDatabase(from: b.clinic.database, to: waiting.clinic.database)

        // Front desk may not accept; the admin accepts all.
        let refused = try b.clinic.run(["sync", "quarantine", "--all", "--as", "qcdesk", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "forbidden", "\(refused.stderr)")
        #expect((try b.clinic.ok(["sync", "status"])["quarantine"] as? [Any])?.count == file.changes, "still held after the refusal")
        let accepted = try b.clinic.ok(["sync", "quarantine", "--all", "--as", b.admin])
        #expect(intValue(accepted["applied"]) == file.changes, "\(accepted)")
        #expect((try b.clinic.ok(["sync", "status"])["quarantine"] as? [Any])?.isEmpty == true)
        let afterAccept = try b.digest()
        #expect(afterAccept != before)

        // QC sends back; both sites hold the same content.
        try send(b, ahead)
        #expect(try ahead.digest() == afterAccept, "FUT and QC converge after the quarantine is accepted")

        // The waiting copy: once its clock is within 5 minutes, the same file applies.
        waiting.clinic.now = "2026-11-23T14:06:00Z"
        let late = try waiting.importFile(file.file)
        #expect(late.applied == file.changes, "\(late)")
        #expect(late.quarantined == 0, "\(late)")
        #expect((try waiting.clinic.ok(["sync", "status"])["quarantine"] as? [Any])?.isEmpty == true)
        #expect(try waiting.digest() == afterAccept)
    }

    @Test("SIGKILL during a large import leaves the database as before or fully imported")
    func crashSafety() throws {
        // A site with a few thousand patients, registered in one CSV import.
        let big = try syncSite(code: "BIG", name: "Grand", admin: "bigadmin")
        var csv = "first,last,dob,phone\n"
        for index in 0..<4000 {
            csv += "Prenom\(index),Nom\(index % 97),19\(50 + index % 50)-0\(1 + index % 9)-1\(index % 10),514-555-\(String(format: "%04d", index))\n"
        }
        let csvPath = big.newFile("patients").replacingOccurrences(of: ".jsonl", with: ".csv")
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let imported = try big.clinic.ok(["import", "patients", "--csv", csvPath])
        #expect(intValue(imported["imported"]) == 4000, "\(imported)")

        let target = try syncSite(code: "QC", name: "Québec", admin: "qcadmin")
        try trustPairwise([big, target])
        let log = try big.export(for: "QC")
        // Large enough for the import to set the bulk tables' indexes aside (after 1,000 patients, the
        // rest of the file brings more than twice the rows here), so kills also land while they are
        // dropped or rebuilt.
        #expect(log.changes >= 8000, "a large log: \(log.changes) changes")

        // Keep the target as it was; compute the fully imported digest once, on a copy.
        let pristine = ClinicProcess().database
        try copyDatabase(from: target.clinic.database, to: pristine)
        let beforeDigest = try target.digest()
        let complete = SyncSite(clinic: ClinicProcess(actor: "qcadmin"), code: "QC", admin: "qcadmin")
        try copyDatabase(from: pristine, to: complete.clinic.database)
        let started = Date()
        let full = try complete.importFile(log.file)
        let duration = Date().timeIntervalSince(started)
        #expect(full.applied == log.changes, "\(full)")
        let afterDigest = try complete.digest()
        #expect(afterDigest != beforeDigest)

        var killedMidway = 0
        var outcomes: [String] = []
        for round in 0..<8 {
            try copyDatabase(from: pristine, to: target.clinic.database)
            // Stratified: round i kills somewhere in the i-th eighth of the measured import time.
            let delay = max(0.02, duration * (Double(round) + Double.random(in: 0..<1)) / 8)
            let (process, out, err) = try target.clinic.start(["sync", "import", log.file, "--json"])
            usleep(useconds_t(delay * 1_000_000))
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? out.fileHandleForReading.close()
            try? err.fileHandleForReading.close()
            if wasRunning && process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            let digest = try target.digest()
            let state = digest == beforeDigest ? "before" : digest == afterDigest ? "after" : "PARTIAL"
            outcomes.append("round \(round): kill after \(String(format: "%.3f", delay)) s → \(state)")
            #expect(digest == beforeDigest || digest == afterDigest,
                    "round \(round): SIGKILL after \(delay) s of a \(duration) s import left a partial database")
            // Whatever state the kill left, finishing the import reaches the complete state.
            if round % 3 == 2 {
                let finish = try target.importFile(log.file)
                #expect((finish.applied ?? 0) + (finish.alreadySeen ?? 0) == log.changes, "\(finish)")
                #expect(try target.digest() == afterDigest, "round \(round): import after the kill")
            }
        }
        print("crash safety (\(log.changes) changes, import \(String(format: "%.2f", duration)) s):\n" + outcomes.joined(separator: "\n"))
        #expect(killedMidway >= 4, "most kills landed while the import ran: \(outcomes) (import takes \(duration) s)")
        // Integrity check after the last kill.
        let doctor = try target.clinic.run(["doctor", "--json"])
        let findings = doctor.json["findings"] as? [[String: Any]] ?? []
        #expect(findings.first { $0["code"] as? String == "integrity" }?["ok"] as? Bool == true, "\(doctor.stdout)\(doctor.stderr)")
        // Every index is there, whether the last kill came before, during or after they were set aside.
        #expect(findings.first { $0["code"] as? String == "schema" }?["ok"] as? Bool == true, "\(doctor.stdout)\(doctor.stderr)")
    }
}
