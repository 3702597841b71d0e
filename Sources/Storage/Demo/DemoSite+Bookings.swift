import Models

extension DemoSite {
    /// Last week and this week around `now` (so there are always past visits with notes): recurring series, a full day per clinician, past visits
    /// completed, one no-show and a couple of cancellations. Deterministic for a given `now`.
    static func bookWeek(in db: Database, zone: SiteTimeZone, now: Int64) throws -> Int {
        let scheduler = Scheduler(db)
        let today = zone.local(now).date
        let monday = today.adding(days: 1 - today.weekday - 7)
        var random = DemoRandom(seed: 42)
        var booked: [AppointmentRecord] = []

        func at(_ day: CivilDate, _ hour: Int, _ minute: Int = 0) -> Int64? {
            zone.instant(LocalDateTime(date: day, minuteOfDay: hour * 60 + minute))
        }
        func chart(_ n: Int) -> String { ChartNumber(siteCode: siteCode, sequence: n).description }

        let series: [(Int, String, String, Int, RepeatRule, Int)] = [
            (1, "mtremblay", "dn-30", 8, .weekly, 7),
            (2, "lchen", "acu-45", 9, .everyTwoWeeks, 4),
            (3, "jdoe", "physio-30", 10, .weekly, 6),
            (9, "ecote", "kin-45", 7, .weekly, 9),
        ]
        for (patient, handle, service, hour, rule, count) in series {
            guard let first = at(monday.adding(days: handle == "lchen" || handle == "jdoe" ? 0 : 1 + (handle == "ecote" ? 1 : 0)), hour) else { continue }
            booked += (try? scheduler.book(.init(patientChart: chart(patient), practitionerHandle: handle, serviceSlug: service, start: first,
                                                 recurrence: Recurrence(rule: rule, end: .count(count))), now: now)) ?? []
        }

        let dayPlans: [(String, [String])] = [
            ("mtremblay", ["physio-eval", "dn-30", "physio-30", "dn-30", "physio-30"]),
            ("jdoe", ["physio-30", "dn-30", "physio-eval", "dn-30"]),
            ("lchen", ["acu-45", "acu-45", "acu-45"]),
            ("pbouchard", ["osteo-60", "osteo-60", "osteo-60"]),
            ("ecote", ["kin-45", "kin-45"]),
        ]
        for offset in 0..<13 where offset != 6 {
            let day = monday.adding(days: offset)
            for (handle, services) in dayPlans {
                var minute = 8 * 60 + random.next(4) * 30
                for service in services {
                    let patient = 1 + random.next(people.count)
                    if let start = at(day, minute / 60, minute % 60),
                       let made = try? scheduler.book(.init(patientChart: chart(patient), practitionerHandle: handle, serviceSlug: service,
                                                            start: start), now: now) {
                        booked += made
                    }
                    minute += 60 + random.next(2) * 30
                }
            }
        }

        var cancelled = 0, noShows = 0
        for record in booked.sorted(by: { $0.appointment.span.start < $1.appointment.span.start }) {
            let start = record.appointment.span.start
            let roll = random.next(20)
            if start + 2 * 3_600_000 < now {
                if noShows == 0, roll < 2 {
                    _ = try scheduler.setStatus(record.id, to: .noShow, now: now)
                    noShows += 1
                } else {
                    _ = try scheduler.setStatus(record.id, to: .completed, now: now)
                }
            } else if start > now, cancelled < 3, roll == 0 || (cancelled == 0 && start - now < 20 * 3_600_000) {
                _ = try scheduler.cancel(record.id, reason: cancelled == 0 ? "patient ill" : "schedule conflict", series: false, now: now)
                cancelled += 1
            }
        }
        return booked.count
    }
}

/// A tiny deterministic generator so the demo is the same every time for the same day.
struct DemoRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
