import Foundation
import Models
import Storage
import Sync

/// Sync fixtures: a source site holding about `changes` sealed changes, and a destination that trusts it.
///
/// The source's own set-up (site, staff, rooms, service) is captured by the real triggers and sealed by
/// `write`; the bulk — patients (two field groups) and appointments (three) — is stored as changes built
/// with `Change` itself, so ids are the real SHA-256 of the canonical body and import verifies every one.
enum SyncFixtures {
    static func source(path: String, changes: Int) throws {
        let clinic = try Clinic.create(path: path, code: "QC", practitionerCount: 20, patientCount: 20)
        let db = clinic.db
        guard let site = try db.first("SELECT id FROM site WHERE is_local = 1")?.string(0) else { throw BenchError("no local site") }
        let patientCount = max(clinic.practitioners.count, changes / 10)
        let appointmentCount = max(0, (changes - 2 * patientCount) / 3)
        // Stamped just after the site's own set-up, as a real site's bookings are: parents come first
        // in the log. The counter advances (not the clock), so a million changes span about 15 ms
        // and none is quarantined as too far ahead.
        let base = try ChangeCapture.currentHLC(db).rawValue
        var stamp = base
        var stored = 0
        func store(_ table: String, _ row: String, _ group: String, _ values: [String: JSONValue]) throws {
            let change = Change(origin: "QC", hlc: HLC(rawValue: stamp), table: table, rowID: row, group: group, values: values, previous: nil)
            try db.execute("INSERT INTO change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                           [change.id, "QC", stamp, table, row, group, JSONValue.object(values).canonical])
            stored += 1
        }
        try db.write { db in
            try db.execute("UPDATE sync_state SET applying = 1 WHERE id = 1")
            var patients: [String] = []
            for n in 0..<patientCount {
                let id = Clinic.deterministicID(5, n)
                patients.append(id)
                stamp += 1
                try store("patient", id, "identity", ["site_id": .string(site), "chart": .string(String(format: "QC-%06d", 1_000 + n)),
                                                      "chart_seq": .integer(Int64(1_000 + n)), "created_at": .integer(Clinic.setupNow)])
                try store("patient", id, "details", ["first": .string("Pat\(n)"), "last": .string("Ient\(n)"), "dob": .string("1980-04-02"),
                                                     "phone": .null, "email": .null, "search": .string("pat\(n) ient\(n)")])
            }
            let perDay = clinic.practitioners.count * Clinic.slotsPerDay
            for k in 0..<appointmentCount {
                let id = Clinic.deterministicID(6, k)
                let who = k % clinic.practitioners.count
                let start = clinic.start(day: Clinic.firstDay.adding(days: k / perDay), slot: (k % perDay) / clinic.practitioners.count)
                stamp += 1
                try store("appointment", id, "booking", ["patient_id": .string(patients[k % patients.count]), "service_id": .string(clinic.serviceID),
                                                         "series_id": .null, "created_at": .integer(Clinic.setupNow)])
                try store("appointment", id, "slot", ["start_ms": .integer(start), "end_ms": .integer(start + 1_800_000),
                                                      "staff_id": .string(clinic.practitioners[who].id), "room_id": .string(clinic.roomIDs[who])])
                try store("appointment", id, "status", ["status": .string("booked"), "late_cancel": .integer(0), "cancel_reason": .null])
            }
            try db.execute("UPDATE sync_state SET applying = 0, hlc = max(hlc, ?) WHERE id = 1", [stamp])
        }
        _ = try SiteKeys.ensure(db)
        let total = Int(try db.first("SELECT COUNT(*) FROM change WHERE change_id IS NOT NULL")?.int(0) ?? 0)
        var report = Report("sync-source")
        report.add("changes", total)
        report.add("bulk", stored)
        report.print()
    }

    /// A fresh site MTL that trusts the source's key, ready to import its logs.
    static func destination(path: String, source: String) throws {
        let clinic = try Clinic.create(path: path, code: "MTL", practitionerCount: 2, patientCount: 2)
        let sourceKeys = try SiteKeys.ensure(try Database(path: source, create: false))
        _ = try clinic.admin().trust(site: sourceKeys.code, keyLine: sourceKeys.publicLine)
        Report("sync-destination").print()
    }
}
