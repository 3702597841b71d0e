import Foundation
import Models
@testable import Storage
import Testing

@Suite("Repositories")
struct RepositoryTests {
    func addPatient(_ db: Database, _ first: String, _ last: String, phone: String? = nil) throws -> Patient {
        try PatientRepository(db).add(.init(first: first, last: last, dateOfBirth: testToday.adding(days: -12_000), phone: phone),
                                      now: testNow, today: testToday)
    }

    @Test("chart numbers are allocated in sequence and never twice")
    func chartNumbersSequential() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let charts = try (1...12).map { try addPatient(db, "Patient", "Number \($0)").chart }
        #expect(charts == (1...12).map { ChartNumber(siteCode: "MTL", sequence: $0).description })
        #expect(Set(charts).count == charts.count)
        let other = try file.open()
        #expect(try addPatient(other, "Via", "Another connection").chart == "MTL-000013")
    }

    @Test("a refused patient does not use up a chart number")
    func refusedPatientKeepsSequence() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(try addPatient(db, "Ana", "Silva").chart == "MTL-000001")
        #expect(errorCode { _ = try addPatient(db, "", "Silva") } == "invalid-name")
        #expect(errorCode { _ = try addPatient(db, "Ana", "Silva", phone: "12") } == "invalid-phone")
        #expect(try addPatient(db, "João", "Gonçalves").chart == "MTL-000002")
        #expect(try PatientRepository(db).count() == 2)
    }

    @Test("patients need a site first")
    func patientNeedsSite() throws {
        let file = TemporaryDatabase()
        let db = try file.open()
        #expect(errorCode { _ = try addPatient(db, "Ana", "Silva") } == "not-initialised")
        #expect(try count("patient", in: db) == 0)
    }

    @Test("patient look-up by chart ignores case; an unknown chart is not-found; garbage is invalid-chart")
    func requireChart() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let ana = try addPatient(db, "Ana", "Silva")
        #expect(try PatientRepository(db).require(chart: "mtl-000001") == ana)
        #expect(try PatientRepository(db).require(chart: "MTL-1") == ana)
        #expect(errorCode { _ = try PatientRepository(db).require(chart: "MTL-000002") } == "not-found")
        #expect(errorCode { _ = try PatientRepository(db).require(chart: "Ana Silva") } == "invalid-chart")
    }

    @Test("patient find ignores case and accents", arguments: [
        ("helene", ["Hélène"]), ("HÉLÈNE", ["Hélène"]), ("Hélène tremblay", ["Hélène"]), ("tremblay", ["Hélène", "Marie"]),
        ("muller", ["Jürgen"]), ("MÜLLER", ["Jürgen"]), ("cote", ["Émilie"]), ("emilie côté", ["Émilie"]),
        ("mtl-000003", ["Émilie"]), ("5145550199", ["Marie"]), ("555-0199", ["Marie"]), ("50%", []), ("zzz", []),
    ])
    func find(text: String, firstNames: [String]) throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        _ = try addPatient(db, "Hélène", "Tremblay")
        _ = try addPatient(db, "Jürgen", "Müller")
        _ = try addPatient(db, "Émilie", "Côté")
        _ = try addPatient(db, "Marie", "Tremblay", phone: "(514) 555-0199")
        let found = try PatientRepository(db).find(text).map(\.first)
        #expect(Set(found) == Set(firstNames))
        #expect(found.count == firstNames.count)
    }

    @Test("an empty search is a usage error")
    func emptySearch() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(errorCode { _ = try PatientRepository(db).find("   ") } == "empty-search")
    }

    @Test("a duplicate staff handle is refused and nothing is written")
    func duplicateStaff() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        _ = try db.write { try StaffRepository($0).add(handle: "jdoe", name: "Jane Doe", discipline: .physiotherapy, roles: [.clinician], now: testNow) }
        let code = errorCode {
            _ = try db.write { try StaffRepository($0).add(handle: "jdoe", name: "John Doe", discipline: .osteopathy, roles: [.clinician], now: testNow + 1) }
        }
        #expect(code == "duplicate")
        let staff = try StaffRepository(file.open()).all()
        #expect(staff.count == 1)
        #expect(staff.first?.name == "Jane Doe")
        #expect(staff.first?.discipline == .physiotherapy)
    }

    @Test("staff rules: handle shape, discipline for clinicians, no credentials for the front desk")
    func staffRules() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        let staff = StaffRepository(db)
        #expect(errorCode { try staff.add(handle: "J Doe", name: "Jane", discipline: .physiotherapy, roles: [.clinician], now: testNow) } == "invalid-handle")
        #expect(errorCode { try staff.add(handle: "jdoe", name: "Jane", discipline: nil, roles: [.clinician], now: testNow) } == "discipline-required")
        #expect(errorCode { try staff.add(handle: "jdoe", name: " ", discipline: .physiotherapy, roles: [.clinician], now: testNow) } == "invalid-name")
        try staff.add(handle: "accueil", name: "Sophie Gagnon", discipline: nil, roles: [.frontDesk], now: testNow)
        let credential = Credential(scope: .dryNeedling, regulator: "OPPQ", number: "1", expires: nil)
        #expect(errorCode { try staff.addCredential(handle: "accueil", credential: credential, now: testNow) } == "not-a-clinician")
        #expect(errorCode { try staff.addCredential(handle: "nobody", credential: credential, now: testNow) } == "not-found")
        #expect(try count("staff", in: db) == 1)
        #expect(try count("credential", in: db) == 0)
    }

    @Test("room names and service slugs are unique; rooms ignore case")
    func duplicateRoomsAndServices() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        try RoomRepository(db).add(name: "Bed 1", kind: .bed, now: testNow)
        #expect(errorCode { try RoomRepository(db).add(name: "bed 1", kind: .gym, now: testNow) } == "duplicate")
        #expect(errorCode { try RoomRepository(db).add(name: "  ", kind: .gym, now: testNow) } == "invalid-name")
        #expect(try RoomRepository(db).all().map(\.name) == ["Bed 1"])
        let services = ServiceRepository(db)
        try services.add(slug: "dn-30", name: "Dry needling", durationMinutes: 30, discipline: .physiotherapy, requires: .dryNeedling, now: testNow)
        #expect(errorCode {
            try services.add(slug: "dn-30", name: "Other", durationMinutes: 45, discipline: .acupuncture, requires: nil, now: testNow)
        } == "duplicate")
        #expect(errorCode { try services.add(slug: "DN 30", name: "x", durationMinutes: 30, discipline: .physiotherapy, requires: nil, now: testNow) } == "invalid-slug")
        #expect(try services.all().map(\.durationMinutes) == [30])
        #expect(try services.require("dn-30").requires == .dryNeedling)
    }

    @Test("a second site is refused")
    func secondSite() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(errorCode { _ = try SiteRepository(db).createLocal(code: "QC", name: "Québec", timeZone: "America/Toronto", now: testNow) }
                == "already-initialised")
        #expect(errorCode { _ = try SiteRepository(db).createLocal(code: "QC", name: "Québec", timeZone: "Mars/Olympus", now: testNow) }
                == "invalid-timezone")
        #expect(try count("site", in: db) == 1)
    }

    @Test("the demo fills an empty database once; a second run changes nothing")
    func demoTwice() throws {
        let file = TemporaryDatabase()
        let db = try file.open()
        let summary = try DemoSite.create(in: db, now: testNow)
        let patients = try PatientRepository(db).count()
        #expect(summary.patients == patients)
        #expect(patients >= 30)
        let tables = ["site", "staff", "credential", "room", "service", "patient", "working_hours", "appointment"]
        let before = try tables.map { try count($0, in: db) }
        #expect(errorCode { _ = try DemoSite.create(in: db, now: testNow + 60_000) } == "already-initialised")
        #expect(!db.isInTransaction)
        #expect(try tables.map { try count($0, in: file.open()) } == before)
        #expect(try PatientRepository(db).find("helene").contains { $0.first == "Hélène" })
    }

    @Test("the demo on a database that already has a site writes nothing")
    func demoAfterInit() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(errorCode { _ = try DemoSite.create(in: db, now: testNow) } == "already-initialised")
        #expect(try count("staff", in: db) == 0)
        #expect(try count("patient", in: db) == 0)
    }

    @Test("a library caller cannot skip the rules: control characters and likely duplicates are refused below the CLI")
    func registrationRules() throws {
        let file = TemporaryDatabase()
        let db = try file.openWithSite()
        #expect(errorCode { _ = try addPatient(db, "Hélène", "Côté\u{1B}[8m") } == "invalid-text")
        #expect(errorCode { _ = try RoomRepository(db).add(name: "Bed\u{07}", kind: .bed, now: testNow) } == "invalid-text")
        let first = try addPatient(db, "Hélène", "Côté")
        #expect(errorCode { _ = try addPatient(db, "HELENE", "cote") } == "duplicate")
        let twin = try PatientRepository(db).add(.init(first: "helene", last: "COTE", dateOfBirth: testToday.adding(days: -12_000)),
                                                 allowingDuplicate: true, now: testNow, today: testToday)
        #expect(twin.chart != first.chart)
        #expect(try count("patient", in: db) == 2)
    }
}
