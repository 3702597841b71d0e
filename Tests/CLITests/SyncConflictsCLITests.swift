import Foundation
import Models
import Storage
import Testing

// MARK: - Sites in two zones

/// A new site in `zone`, with its own admin handle.
func zonedSite(code: String, name: String, admin: String, zone: String) throws -> SyncSite {
    var clinic = ClinicProcess()
    clinic.actor = admin
    try clinic.ok(["init", "--site-code", code, "--site-name", name, "--timezone", zone, "--admin", admin, "--test-clock"])
    return SyncSite(clinic: clinic, code: code, admin: admin)
}

/// MTL (Toronto, with `montrealSite()`'s data) and VAN (Vancouver, with a room of its own, the service
/// offered and jdoe's Thursday hours there), keys trusted, everything exchanged; every command at `now`.
func montrealAndVancouver(now: String = ClinicBinary.now) throws -> (mtl: SyncSite, van: SyncSite) {
    var mtl = try montrealSite()
    var van = try zonedSite(code: "VAN", name: "Vancouver", admin: "vanadmin", zone: "America/Vancouver")
    mtl.clinic.now = now
    van.clinic.now = now
    try trustPairwise([mtl, van])
    try mtl.clinic.ok(["staff", "hours", "jdoe", "--day", "thu", "--clear"])
    try exchangeAll([mtl, van])
    try van.clinic.ok(["room", "add", "Salle 1"])
    try van.clinic.ok(["service", "offer", "physio-30", "--site", "VAN"])
    // Offline, each site gives jdoe Thursday hours of its own, neither knowing the other's: overlapping
    // hours that two sites set concurrently (a site that knows the other's refuses the overlap).
    try mtl.clinic.ok(["staff", "hours", "jdoe", "--day", "thu", "--from", "08:00", "--until", "16:00"])
    try van.clinic.ok(["staff", "hours", "jdoe", "--day", "thu", "--from", "08:00", "--until", "16:00"])
    try exchangeAll([mtl, van])
    return (mtl, van)
}

/// Offline on 2026-12-03: MTL books jdoe at 11:00 Toronto (16:00Z), VAN at 08:15 Vancouver (16:15Z).
func bookOverlappingOffline(_ mtl: SyncSite, _ van: SyncSite) throws -> (atMTL: String, atVAN: String) {
    let x = appointments(try mtl.clinic.ok(["book", "--patient", "MTL-000001", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-03 11:00",
                                            "--room", "Bed 1"]))
    let y = appointments(try van.clinic.ok(["book", "--patient", "MTL-000002", "--with", "jdoe", "--service", "physio-30", "--at", "2026-12-03 08:15",
                                            "--room", "Salle 1"]))
    return (try #require(x.first?["id"] as? String), try #require(y.first?["id"] as? String))
}

/// The side (`a` or `b`) of a listed conflict.
func side(_ conflict: [String: Any], _ name: String) -> [String: Any] { conflict[name] as? [String: Any] ?? [:] }

/// "A" or "B": the side of `conflict` whose reference is `ref`.
func sideName(of ref: String, in conflict: [String: Any]) -> String? {
    if side(conflict, "a")["ref"] as? String == ref { return "A" }
    if side(conflict, "b")["ref"] as? String == ref { return "B" }
    return nil
}

func conflictID(_ conflict: [String: Any]) -> String { conflict["id"] as? String ?? "" }

@Suite("Sync conflicts a person can act on, through the real binary")
struct SyncConflictsCLITests {
    @Test("a cross-site double booking is listed with sites, practitioner, charts, local times and the resolving command; the dropped booking's site is told")
    func crossSiteDoubleBookingShown() throws {
        let (mtl, van) = try montrealAndVancouver()
        let lav = try syncSite(code: "LAV", name: "Laval", admin: "lavadmin")
        try trustPairwise([mtl, lav])
        try trustPairwise([van, lav])
        try exchangeAll([mtl, van, lav])
        let (x, y) = try bookOverlappingOffline(mtl, van)
        try send(mtl, van)
        try send(van, mtl)

        var ids: [String] = []
        for site in [mtl, van] {
            let open = try site.conflicts()
            #expect(open.count == 1, "conflicts at \(site.code): \(open)")
            let conflict = try #require(open.first)
            ids.append(conflictID(conflict))
            #expect(conflict["kind"] as? String == "double-booking")
            #expect(Set(conflict["sites"] as? [String] ?? []) == ["MTL", "VAN"], "\(conflict)")
            #expect(conflict["practitioner"] as? String == "jdoe", "\(conflict)")
            let resolve = conflict["resolve"] as? String ?? ""
            #expect(resolve.hasPrefix("clinic sync conflicts --resolve ") && resolve.hasSuffix(" --keep A|B"), "\(resolve)")
            #expect(conflictID(conflict).hasPrefix(resolve.split(separator: " ").dropFirst(4).first.map(String.init) ?? "-"), "\(resolve)")
            let xName = sideName(of: x, in: conflict) ?? "-", yName = sideName(of: y, in: conflict) ?? "-"
            #expect(Set([xName, yName]) == ["A", "B"], "\(conflict)")
            let atMTL = side(conflict, xName.lowercased()), atVAN = side(conflict, yName.lowercased())
            #expect(atMTL["site"] as? String == "MTL" && atVAN["site"] as? String == "VAN", "\(conflict)")
            #expect(atMTL["local_start"] as? String == "2026-12-03 11:00" && atMTL["local_end"] as? String == "2026-12-03 11:30", "\(atMTL)")
            #expect(atVAN["local_start"] as? String == "2026-12-03 08:15" && atVAN["local_end"] as? String == "2026-12-03 08:45", "\(atVAN)")
            #expect(atMTL["patient"] as? String == "MTL-000001" && atVAN["patient"] as? String == "MTL-000002")
            #expect(atMTL["room"] as? String == "Bed 1" && atVAN["room"] as? String == "Salle 1")
        }
        #expect(Set(ids).count == 1, "one id at every site: \(ids)")
        let id = try #require(ids.first)

        // Human output: each booking's time in its own site's zone, labelled when it is another site's.
        let atVancouver = try van.clinic.run(["sync", "conflicts"])
        #expect(atVancouver.status == 0)
        for expected in ["2026-12-03 11:00–11:30 EST (MTL)", "2026-12-03 08:15–08:45", "physio-30", "jdoe", "MTL-000001", "MTL-000002", "clinic sync conflicts --resolve \(id.prefix(12)) --keep A|B"] {
            #expect(atVancouver.stdout.contains(expected), "'\(expected)' in:\n\(atVancouver.stdout)")
        }
        #expect(!atVancouver.stdout.contains("PST (VAN)"), "VAN's own times carry no label at VAN:\n\(atVancouver.stdout)")
        let atMontreal = try mtl.clinic.run(["sync", "conflicts"])
        #expect(atMontreal.stdout.contains("2026-12-03 08:15–08:45 PST (VAN)"), "\(atMontreal.stdout)")

        // MTL keeps its own booking: VAN's is cancelled, and VAN's front desk is told.
        let open = try #require(try mtl.conflicts().first)
        let keep = sideName(of: x, in: open) ?? "A"
        try mtl.clinic.ok(["sync", "conflicts", "--resolve", id, "--keep", keep])
        let statusAtMTL = try mtl.clinic.ok(["sync", "status"])
        #expect(intValue(statusAtMTL["cancelled_by_resolution"]) == 0, "MTL's booking was kept")
        try send(mtl, van)
        let day = appointments(try van.clinic.ok(["schedule", "--date", "2026-12-03"]))
        let dropped = try #require(day.first { $0["id"] as? String == y }, "\(day)")
        #expect(dropped["status"] as? String == "cancelled")
        #expect(dropped["cancelled_by_resolution"] as? Bool == true, "\(dropped)")
        let kept = day.first { $0["id"] as? String == x }
        #expect(kept == nil || kept?["cancelled_by_resolution"] as? Bool == false, "\(String(describing: kept))")
        let grid = try van.clinic.run(["schedule", "--date", "2026-12-03"])
        #expect(grid.stdout.contains("(conflict)"), "\(grid.stdout)")

        let status = try van.clinic.run(["sync", "status"])
        #expect(status.status == 0 && status.stdout.contains("cancelled by a conflict resolution"), "\(status.stdout)")
        let statusJSON = try van.clinic.ok(["sync", "status"])
        #expect(intValue(statusJSON["cancelled_by_resolution"]) == 0, "counted once, at the first look: \(statusJSON)")
        let hlc = try #require(statusJSON["hlc"] as? String)
        #expect(!status.stdout.contains(hlc), "no raw clock value in:\n\(status.stdout)")

        // --all lists the resolved double booking at every site, LAV included: it saw the cancellation with the bookings.
        try send(mtl, lav)
        for site in [mtl, van, lav] {
            #expect(try site.conflicts().isEmpty, "nothing open at \(site.code)")
            let all = try site.conflicts(all: true)
            #expect(all.map(conflictID) == [id], "--all at \(site.code): \(all)")
            #expect(all.first?["resolution"] as? String == keep)
            #expect(all.first?["resolve"] is NSNull, "no command once resolved: \(all)")
        }
    }

    @Test("a double booking between two completed sessions is resolved by recording the decision; both stay completed")
    func completedDoubleBooking() throws {
        let (mtl, van) = try montrealAndVancouver(now: "2026-12-03T19:00:00Z")
        let (x, y) = try bookOverlappingOffline(mtl, van)
        for (site, booking) in [(mtl, x), (van, y)] {
            try site.clinic.ok(["checkin", booking])
            try site.clinic.ok(["complete", booking])
        }
        try exchangeAll([mtl, van])
        let conflict = try #require(try mtl.conflicts().first)
        #expect(conflict["kind"] as? String == "double-booking")
        let result = try mtl.clinic.run(["sync", "conflicts", "--resolve", conflictID(conflict), "--keep", "A", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((result.json["effect"] as? String)?.contains("stays as it is") == true, "\(result.stdout)")
        try exchangeAll([mtl, van])
        for site in [mtl, van] {
            #expect(try site.conflicts().isEmpty, "nothing open at \(site.code)")
            #expect(try site.conflicts(all: true).map { $0["resolution"] as? String } == ["A"])
            let day = appointments(try site.clinic.ok(["schedule", "--date", "2026-12-03", "--with", "jdoe"]))
            for booking in [x, y] {
                let status = day.first { $0["id"] as? String == booking }?["status"] as? String
                #expect(status == nil || status == "completed", "\(booking) at \(site.code): \(day)")
            }
        }
        #expect(try mtl.digest() == van.digest())
    }

    @Test("a concurrent edit of a note signed since is resolved either way without changing the signed note")
    func concurrentEditOfNoteSignedSince() throws {
        let (mtl, van) = try montrealAndVancouver(now: "2026-12-02T17:00:00Z")
        let day = appointments(try mtl.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let booking = try #require(day.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String, "\(day)")
        let note = try #require(try mtl.clinic.ok(["note", "start", booking, "--as", "jdoe"])["id"] as? String)
        try mtl.clinic.ok(["note", "edit", note, "--subjective", "Neck pain", "--as", "jdoe"])
        try exchangeAll([mtl, van])

        // Offline: both sites edit the plan and the assessment.
        try mtl.clinic.ok(["note", "edit", note, "--plan", "Plan from MTL", "--assessment", "Assessment from MTL", "--as", "jdoe"])
        try van.clinic.ok(["note", "edit", note, "--plan", "Plan from VAN", "--assessment", "Assessment from VAN", "--as", "jdoe"])
        try exchangeAll([mtl, van])
        let edits = try mtl.conflicts().filter { $0["kind"] as? String == "concurrent-edit" }
        #expect(edits.count == 2, "\(edits)")
        #expect(try van.conflicts().filter { $0["kind"] as? String == "concurrent-edit" }.map(conflictID).sorted() == edits.map(conflictID).sorted())
        for edit in edits {
            #expect(Set(edit["sites"] as? [String] ?? []) == ["MTL", "VAN"], "\(edit)")
            #expect(edit["practitioner"] as? String == "jdoe" && edit["patient"] as? String == "MTL-000003", "\(edit)")
        }
        // The admin sees who changed what and when, in each site's zone, but no note text and no raw clock.
        let human = try van.clinic.run(["sync", "conflicts"])
        #expect(human.status == 0)
        #expect(!human.stdout.contains("Plan from") && !human.stdout.contains("Assessment from"), "\(human.stdout)")
        for edit in edits {
            for name in ["a", "b"] {
                let hlc = (side(edit, name)["version"] as? [String: Any])?["hlc"] as? String ?? "-"
                #expect(!human.stdout.contains(hlc), "raw clock \(hlc) in:\n\(human.stdout)")
            }
        }
        #expect(human.stdout.contains("2026-12-02 12:00 EST (MTL)"), "MTL's edit in MTL's zone:\n\(human.stdout)")

        // Signed since at MTL; everyone has it.
        try mtl.clinic.ok(["note", "sign", note, "--as", "jdoe"])
        try exchangeAll([mtl, van])
        let signed = try mtl.clinic.ok(["note", "show", note, "--as", "jdoe"])
        for (edit, keep) in zip(edits, ["A", "B"]) {
            let result = try van.clinic.run(["sync", "conflicts", "--resolve", conflictID(edit), "--keep", keep, "--json"])
            #expect(result.status == 0, "keep \(keep): \(result.stderr)")
            #expect((result.json["effect"] as? String)?.contains("stays as signed") == true, "\(result.stdout)")
        }
        try exchangeAll([mtl, van])
        for site in [mtl, van] {
            let shown = try site.clinic.ok(["note", "show", note, "--as", "jdoe"])
            #expect(shown["status"] as? String == "signed")
            for field in ["plan", "assessment", "subjective"] {
                #expect(shown[field] as? String == signed[field] as? String, "\(field) at \(site.code): \(shown)")
            }
            #expect(try site.conflicts().filter { $0["kind"] as? String == "concurrent-edit" }.isEmpty)
            #expect(try site.conflicts(all: true).filter { $0["kind"] as? String == "concurrent-edit" }.count == 2)
        }
        #expect(try mtl.digest() == van.digest())
    }

    @Test("every kind is listed with its site(s) and resolving command, and each resolves or is refused by a rule, never exit 74")
    func everyKindResolvable() throws {
        let (mtl, van) = try montrealAndVancouver(now: "2026-12-02T17:00:00Z")
        // Notes on jdoe's past session of 2026-12-01 (to edit at both sites) and of 2026-12-02 (signed at MTL).
        let firstDay = appointments(try mtl.clinic.ok(["schedule", "--date", "2026-12-01"]))
        let jdoeFirst = try #require(firstDay.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String)
        let mroyFirst = try #require(firstDay.first { $0["practitioner"] as? String == "mroy" }?["id"] as? String)
        let secondDay = appointments(try mtl.clinic.ok(["schedule", "--date", "2026-12-02"]))
        let jdoeSecond = try #require(secondDay.first { $0["practitioner"] as? String == "jdoe" }?["id"] as? String)
        let edited = try #require(try mtl.clinic.ok(["note", "start", jdoeFirst, "--as", "jdoe"])["id"] as? String)
        let signedNote = try #require(try mtl.clinic.ok(["note", "start", jdoeSecond, "--as", "jdoe"])["id"] as? String)
        let moved = try #require(appointments(try mtl.clinic.ok(["book", "--patient", "MTL-000003", "--with", "mroy", "--service", "physio-30",
                                                                  "--at", "2026-12-04 10:00", "--room", "Bed 2"])).first?["id"] as? String)
        try exchangeAll([mtl, van])

        // Offline, at both sites.
        _ = try bookOverlappingOffline(mtl, van)
        for site in [mtl, van] {
            try site.clinic.ok(["staff", "add", "kim", "--name", "Kim \(site.code)", "--role", "front-desk"])
            try site.clinic.ok(["service", "add", "massage-60", "--name", "Massage \(site.code)", "--duration", "60m", "--discipline", "physiotherapy"])
            try site.clinic.ok(["note", "edit", edited, "--plan", "Plan at \(site.code)", "--as", "jdoe"])
        }
        // The same booking moved at both sites: to 11:00 Toronto at MTL, to 09:00 Vancouver (12:00 Toronto) at VAN.
        try mtl.clinic.ok(["reschedule", moved, "--at", "2026-12-04 11:00"])
        try van.clinic.ok(["reschedule", moved, "--at", "2026-12-04 09:00"])
        try mtl.clinic.ok(["note", "start", mroyFirst, "--as", "mroy"])
        try van.clinic.ok(["cancel", mroyFirst, "--reason", "patient called"])
        try mtl.clinic.ok(["note", "sign", signedNote, "--as", "jdoe"])
        try van.clinic.ok(["note", "edit", signedNote, "--plan", "Late plan", "--as", "jdoe"])
        // A second chart MTL-000001, written at VAN behind the binary's back (no command makes one).
        do {
            let db = try Database(path: van.clinic.database)
            db.clock = ClinicClock(fixed: Date(timeIntervalSince1970: 1_796_230_800))
            try db.write { try $0.execute("UPDATE patient SET chart = 'MTL-000001' WHERE chart = 'MTL-000002'") }
        }
        try exchangeAll([mtl, van])
        try exchangeAll([mtl, van])

        let kinds = ["double-booking", "duplicate-handle", "duplicate-slug", "concurrent-edit", "note-on-cancelled", "edit-after-sign", "duplicate-chart"]
        let listed = try mtl.conflicts()
        #expect(Set(listed.compactMap { $0["kind"] as? String }) == Set(kinds), "\(listed.map { $0["kind"] ?? "" })")
        let atVAN = Set(try van.conflicts().map(conflictID))
        for conflict in listed {
            let kind = conflict["kind"] as? String ?? ""
            let sites = conflict["sites"] as? [String] ?? []
            #expect(!sites.isEmpty && Set(sites).isSubset(of: ["MTL", "VAN"]), "\(kind): \(conflict)")
            let resolve = conflict["resolve"] as? String ?? ""
            if kind == "duplicate-handle" {
                let suffix = String((side(conflict, "b")["ref"] as? String ?? "").suffix(8))
                #expect(resolve == "clinic staff rename \(suffix) NEW-HANDLE", "\(resolve)")
            } else {
                #expect(resolve == "clinic sync conflicts --resolve \(conflictID(conflict).prefix(12)) --keep A|B", "\(kind): \(resolve)")
            }
            if kind != "duplicate-chart" { #expect(atVAN.contains(conflictID(conflict)), "\(kind) listed at VAN too") }
            for name in ["a", "b"] where kind != "duplicate-handle" && kind != "duplicate-slug" {
                #expect(side(conflict, name)["site"] as? String != nil, "\(kind) side \(name): \(conflict)")
            }
            if ["concurrent-edit", "edit-after-sign", "note-on-cancelled", "double-booking"].contains(kind) {
                #expect(conflict["practitioner"] as? String != nil && conflict["patient"] as? String != nil, "\(kind): \(conflict)")
            }
        }
        let human = try mtl.clinic.run(["sync", "conflicts"])
        // Both moves of one booking, each in the booking's site's zone, and which site made each and when.
        for expected in ["MTL changed the appointment's slot on 2026-12-02 12:00: 2026-12-04 11:00–11:30",
                         "VAN changed the appointment's slot on 2026-12-02 09:00 PST (VAN): 2026-12-04 12:00–12:30", "MTL signed the note"] {
            #expect(human.stdout.contains(expected), "'\(expected)' in:\n\(human.stdout)")
        }
        #expect(human.stdout.contains("clinic staff rename"), "\(human.stdout)")

        // Resolve each at MTL: a rule refusal or a success, never 74.
        var resolved: [String] = []
        for conflict in listed {
            let kind = conflict["kind"] as? String ?? ""
            let result = try mtl.clinic.run(["sync", "conflicts", "--resolve", conflictID(conflict), "--keep", "B", "--json"])
            if kind == "duplicate-handle" {
                #expect(result.status == 1 && result.errorCode == "rename-required", "\(kind): \(result.status) \(result.stderr)")
                #expect(result.stderr.contains("staff rename"), "\(result.stderr)")
            } else {
                #expect(result.status == 0, "\(kind): \(result.status) \(result.stderr)")
                resolved.append(conflictID(conflict))
            }
        }
        try exchangeAll([mtl, van])
        #expect(try mtl.conflicts().map { $0["kind"] as? String } == ["duplicate-handle"])
        #expect(Set(try mtl.conflicts(all: true).map(conflictID)) == Set(resolved + listed.filter { $0["kind"] as? String == "duplicate-handle" }.map(conflictID)))
        #expect(try mtl.digest() == van.digest())
    }
}
