import Models

/// A believable Montréal clinic for a first look: staff across disciplines, rooms, services,
/// working hours and patients with accented names. Written in one transaction, or not at all.
public enum DemoSite {
    public static let siteCode = "MTL"
    /// Every demo staff member's passphrase, printed by `clinic demo`: a demo is for trying things out.
    public static let passphrase = "demo"

    /// Fills an empty database; refuses one that already holds a site (`already-initialised`). A demo is
    /// for trying things out, so it runs on the test clock: `CLINIC_NOW` sets it.
    public static func create(in db: Database, now: Int64) throws -> DemoSummary {
        try db.write { db in
            let site = try SiteRepository(db).createLocal(code: siteCode, name: "Clinique Montréal", timeZone: "America/Toronto", now: now)
            try LocalSettings(db).enableTestClock()
            let zone = try SiteTimeZone(site.timeZone)
            let staff = StaffRepository(db)
            var secrets: [String: PassphraseSecrets] = [:]
            for member in members {
                let added = try staff.add(handle: member.handle, name: member.name, discipline: member.discipline, roles: [member.role], now: now)
                secrets[member.handle] = try PassphraseStore(db).store(staffID: added.id, hashing: passphrase, setBySelf: true, now: now)
                for (scope, regulator, number) in member.credentials {
                    try staff.addCredential(handle: member.handle,
                                            credential: Credential(scope: scope, regulator: regulator, number: number,
                                                                   expires: CivilDate(year: 2028, month: 3, day: 31)),
                                            now: now)
                }
            }
            let availability = AvailabilityRepository(db)
            for member in members where member.role == .clinician {
                for weekday in member.weekdays {
                    try availability.addHours(handle: member.handle,
                                              hours: WorkingHours(weekday: weekday, startMinute: member.hours.0, endMinute: member.hours.1),
                                              site: site, now: now)
                }
            }
            let rooms = RoomRepository(db)
            for (name, kind) in [("Bed 1", RoomKind.bed), ("Bed 2", .bed), ("Bed 3", .bed), ("Gym", .gym)] {
                try rooms.add(name: name, kind: kind, now: now)
            }
            let services = ServiceRepository(db)
            for s in serviceList {
                try services.add(slug: s.slug, name: s.name, durationMinutes: s.minutes, discipline: s.discipline, requires: s.requires, now: now)
            }
            let patients = PatientRepository(db)
            let today = zone.local(now).date
            for (index, person) in people.enumerated() {
                let birth = CivilDate(year: 1948 + (index * 7) % 60, month: 1 + index % 12, day: 1 + (index * 5) % 28)
                    ?? CivilDate(daysSinceEpoch: 0)
                let digits = String(1000 + index * 37)
                try patients.add(.init(first: person.0, last: person.1, dateOfBirth: birth,
                                       phone: "514-555-" + String(digits.suffix(4)),
                                       email: index % 3 == 0 ? nil : SearchFolding.fold(person.0).replacingOccurrences(of: " ", with: "") + "@example.org"),
                                 now: now + Int64(index), today: today)
            }
            let appointments = try bookWeek(in: db, zone: zone, now: now)
            let notes = try writeNotes(in: db, zone: zone, secrets: secrets, now: now)
            return DemoSummary(site: site, staff: members.count, rooms: 4, services: serviceList.count, patients: people.count,
                               appointments: appointments, signedNotes: notes)
        }
    }

    struct Member {
        let handle: String, name: String, discipline: Discipline?, role: StaffRole
        let credentials: [(Scope, String, String)]
        let weekdays: [Int]
        let hours: (Int, Int)
    }

    static let members: [Member] = [
        Member(handle: "admin", name: "Nathalie Bergeron", discipline: nil, role: .admin, credentials: [], weekdays: [], hours: (0, 0)),
        Member(handle: "accueil", name: "Sophie Gagnon", discipline: nil, role: .frontDesk, credentials: [], weekdays: [], hours: (0, 0)),
        Member(handle: "lchen", name: "Li Chen", discipline: .acupuncture, role: .clinician,
               credentials: [(.acupuncture, "OAQ", "A-20931"), (.electroStim, "OAQ", "A-20931-E")], weekdays: [1, 2, 3, 4, 5], hours: (9 * 60, 17 * 60)),
        Member(handle: "mtremblay", name: "Marie Tremblay", discipline: .physiotherapy, role: .clinician,
               credentials: [(.dryNeedling, "OPPQ", "P-118342"), (.electroStim, "OPPQ", "P-118342-E")], weekdays: [1, 2, 3, 4, 5], hours: (8 * 60, 16 * 60)),
        Member(handle: "jdoe", name: "Jane Doe", discipline: .physiotherapy, role: .clinician,
               credentials: [(.dryNeedling, "OPPQ", "P-120577"), (.manipulation, "OPPQ", "P-120577-M")], weekdays: [1, 2, 3, 4, 6], hours: (10 * 60, 18 * 60)),
        Member(handle: "pbouchard", name: "Pierre Bouchard", discipline: .osteopathy, role: .clinician,
               credentials: [(.manipulation, "OOQ", "O-4471")], weekdays: [2, 3, 4, 5], hours: (8 * 60, 15 * 60)),
        Member(handle: "ecote", name: "Émilie Côté", discipline: .kinesiology, role: .clinician,
               credentials: [], weekdays: [1, 3, 5], hours: (7 * 60, 13 * 60)),
    ]

    struct ServiceSpec {
        let slug: String, name: String, minutes: Int, discipline: Discipline, requires: Scope?
    }

    static let serviceList: [ServiceSpec] = [
        ServiceSpec(slug: "physio-eval", name: "Physiotherapy assessment", minutes: 60, discipline: .physiotherapy, requires: nil),
        ServiceSpec(slug: "physio-30", name: "Physiotherapy follow-up", minutes: 30, discipline: .physiotherapy, requires: nil),
        ServiceSpec(slug: "dn-30", name: "Dry needling 30 min", minutes: 30, discipline: .physiotherapy, requires: .dryNeedling),
        ServiceSpec(slug: "acu-45", name: "Acupuncture 45 min", minutes: 45, discipline: .acupuncture, requires: .acupuncture),
        ServiceSpec(slug: "osteo-60", name: "Osteopathy 60 min", minutes: 60, discipline: .osteopathy, requires: nil),
        ServiceSpec(slug: "kin-45", name: "Kinesiology – active rehab", minutes: 45, discipline: .kinesiology, requires: nil),
    ]

    static let people: [(String, String)] = [
        ("Hélène", "Tremblay"), ("François", "Lévesque"), ("Amélie", "Gauthier"), ("Noémie", "Bélanger"),
        ("Jérôme", "Côté"), ("Zoë", "Ouellet"), ("Anaïs", "Pelletier"), ("Stéphane", "Bérubé"),
        ("Ana", "Silva"), ("João", "Gonçalves"), ("Inês", "Araújo"), ("José", "Muñoz"),
        ("Sofía", "Núñez"), ("Björn", "Østergård"), ("Chloé", "Fréchette"), ("Gaëlle", "Roy"),
        ("Léa", "Gagné"), ("Mathéo", "Morin"), ("Éloïse", "Dubé"), ("Raphaël", "Séguin"),
        ("Maëlys", "Thériault"), ("Yannick", "Désilets"), ("Renée", "Lachapelle"), ("André", "Hébert"),
        ("Cécile", "Brisson"), ("Thérèse", "Lacroix"), ("Nguyễn", "Thị Mai"), ("Zoé", "Beaulieu"),
        ("Anh", "Trần"), ("Dvořák", "Jiří"), ("Łukasz", "Wróbel"), ("Søren", "Kierkegård"),
        ("Marc-Antoine", "St-Pierre"), ("Geneviève", "D'Amours"),
    ]
}

/// What the demo created, for the command's output.
public struct DemoSummary: Sendable, Encodable {
    public let site: Site
    public let staff: Int
    public let rooms: Int
    public let services: Int
    public let patients: Int
    public let appointments: Int
    public let signedNotes: Int
}
