import Foundation
import Models
import Storage

/// Front-desk benchmarks, in-process against `Scheduler` so they time our code, not process start-up.
enum SchedulingBenchmarks {
    /// A database with `count` appointments for the cold-start benchmark; reports the busiest day's
    /// bounds so the `sqlite3` baseline can run the same SELECT the CLI runs.
    static func coldStartFixture(path: String, count: Int) throws {
        let clinic = try Clinic.create(path: path)
        try clinic.bulkAppointments(count)
        var report = Report("cold-start-fixture")
        report.add("date", Clinic.firstDay.description)
        report.add("from_ms", Int(clinic.zone.startOfDay(Clinic.firstDay)))
        report.add("to_ms", Int(clinic.zone.startOfDay(Clinic.firstDay.adding(days: 1))))
        report.print()
    }

    /// `count` bookings, each its own `BEGIN IMMEDIATE` transaction with every check and change capture.
    static func booking(path: String, count: Int) throws {
        let clinic = try Clinic.create(path: path)
        let requests = requests(clinic, from: Clinic.firstDay, count: count)
        let seconds = try Timing.seconds {
            // One booking a second, as at a busy front desk: the clock moves, so each new id (UUIDv7, time first)
            // sorts after the last, as the C baseline's ids do, instead of all sharing one millisecond.
            for (k, request) in requests.enumerated() {
                // One session per booking, proven by the admin's open session (never a scrypt), as each
                // `clinic book` of a logged-in workstation is.
                _ = try clinic.admin(now: Clinic.setupNow + Int64(k) * 1_000).book(request)
            }
        }
        var report = Report("booking")
        report.add("ops", count)
        report.add("seconds", seconds)
        report.add("ops_per_s", Double(count) / seconds)
        report.print()
    }

    /// Bookings that never clash: practitioner i in room i, patients rotating, slots filled in order.
    static func requests(_ clinic: Clinic, from day: CivilDate, count: Int, patientOffset: Int = 0) -> [Scheduler.BookingRequest] {
        let perDay = clinic.practitioners.count * Clinic.slotsPerDay
        return (0..<count).map { k in
            let who = k % clinic.practitioners.count
            let slot = (k % perDay) / clinic.practitioners.count
            return Scheduler.BookingRequest(patientChart: clinic.patientCharts[(k + patientOffset) % clinic.patientCharts.count],
                                            practitionerHandle: clinic.practitioners[who].handle, serviceSlug: "physio-30",
                                            start: clinic.start(day: day.adding(days: k / perDay), slot: slot), roomName: clinic.roomNames[who])
        }
    }

    /// Median latency of one booking with `present` appointments stored: successful bookings (check + insert +
    /// capture + commit) and refused ones (the check alone, rolled back: no fsync in the figure).
    static func conflict(path: String, present: Int, samples: Int) throws {
        let clinic = try Clinic.create(path: path)
        let freeDay = try clinic.bulkAppointments(present)
        let desk = clinic.admin()
        var booked: [Double] = [], refused: [Double] = [], plain: [Double] = []
        for (k, request) in requests(clinic, from: freeDay, count: samples).enumerated() {
            booked.append(try Timing.seconds { _ = try desk.book(request) })
            // Issue 4's baseline, interleaved: the same insert without checks, far from any other booking.
            let start = Clinic.setupNow - Int64(k + 1) * 86_400_000 * 400
            plain.append(try Timing.seconds { try insertAppointment(clinic, index: k, practitioner: k % clinic.practitioners.count, start: start, salt: 7) })
            var clash = request
            clash.patientChart = clinic.patientCharts[(clinic.patientCharts.count - 1)]
            refused.append(Timing.seconds { _ = try? desk.book(clash) })
        }
        var report = Report("conflict")
        report.add("present", present)
        report.add("book_ms", Timing.median(booked) * 1000)
        report.add("refused_ms", Timing.median(refused) * 1000)
        report.add("plain_insert_ms", Timing.median(plain) * 1000)
        report.print()
    }

    /// Median time of a 7-day `slots` search for one practitioner in a fully booked stretch of `present` appointments.
    static func slots(path: String, present: Int, samples: Int) throws {
        let clinic = try Clinic.create(path: path)
        try clinic.bulkAppointments(present)
        let perDay = clinic.practitioners.count * Clinic.slotsPerDay
        let middle = Clinic.firstDay.adding(days: present / perDay / 2)
        // Free a few slots that week so the search has something to find.
        try clinic.db.write { db in
            try db.execute("UPDATE appointment SET status = 'cancelled' WHERE staff_id = ? AND start_ms >= ? AND start_ms < ? AND (start_ms / 1800000) % 3 = 0",
                           [clinic.practitioners[3].id, clinic.zone.startOfDay(middle), clinic.zone.startOfDay(middle.adding(days: 7))])
        }
        var times: [Double] = []
        var found = 0
        for _ in 0..<samples {
            times.append(try Timing.seconds {
                found = try clinic.admin()
                    .slots(serviceSlug: "physio-30", practitionerHandle: clinic.practitioners[3].handle, from: middle, days: 7, limit: 500).count
            })
        }
        var report = Report("slots")
        report.add("present", present)
        report.add("found", found)
        report.add("ms", Timing.median(times) * 1000)
        report.print()
    }

    /// The same single-row appointment INSERT a booking makes, without any check (capture on, one commit).
    static func insertAppointment(_ clinic: Clinic, index k: Int, practitioner who: Int, start: Int64, salt: Int = 3) throws {
        try clinic.db.write { db in
            try db.execute("""
                INSERT INTO appointment (id, patient_id, staff_id, room_id, service_id, start_ms, end_ms, status, series_id,
                                         original_start_ms, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', NULL, ?, ?, ?)
                """, [Clinic.deterministicID(salt, k), clinic.patientIDs[k % clinic.patientIDs.count], clinic.practitioners[who].id,
                      clinic.roomIDs[who], clinic.serviceID, start, start + 1_800_000, start, Clinic.setupNow, Clinic.setupNow])
        }
    }

    /// One local write (an appointment INSERT, three captured field groups) with capture on and off,
    /// interleaved in rounds so drift on a shared machine hits both sides alike.
    static func captureOverhead(path: String, count: Int, synchronousOff: Bool) throws {
        let clinic = try Clinic.create(path: path)
        if synchronousOff { try clinic.db.execute("PRAGMA synchronous = OFF") }
        var with: [Double] = [], without: [Double] = []
        var k = 0
        let rounds = 5
        for round in 0..<(rounds * 2) {
            let capturing = round % 2 == 0
            try clinic.db.write { db in try db.execute("UPDATE sync_state SET applying = ? WHERE id = 1", [capturing ? 0 : 1]) }
            for _ in 0..<(count / rounds) {
                let who = k % clinic.practitioners.count
                let start = Clinic.setupNow + Int64(k) * 1_800_000
                let seconds = try Timing.seconds { try insertAppointment(clinic, index: k, practitioner: who, start: start) }
                if capturing { with.append(seconds) } else { without.append(seconds) }
                k += 1
            }
        }
        var report = Report("capture")
        report.add("with_ms", Timing.median(with) * 1000)
        report.add("without_ms", Timing.median(without) * 1000)
        report.print()
    }
}
