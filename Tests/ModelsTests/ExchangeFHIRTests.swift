import Foundation
import Models
import Testing

/// A one-patient source: a completed dry-needling visit with a signed note, a no-show, a consent.
private func source() throws -> FHIRSource {
    let site = Site(id: "01900000-0000-7000-8000-000000000001", code: "MTL", name: "Montréal", timeZone: "America/Toronto")
    let room = Room(id: "01900000-0000-7000-8000-000000000002", name: "Bed 1", kind: .bed)
    let jdoe = Practitioner(id: "01900000-0000-7000-8000-000000000003", handle: "jdoe", name: "Jane Doe", discipline: .physiotherapy, roles: [.clinician])
    let service = Service(id: "01900000-0000-7000-8000-000000000004", slug: "dn-30", name: "Dry needling", durationMinutes: 30,
                          discipline: .physiotherapy, requires: .dryNeedling)
    let patient = Patient(id: "01900000-0000-7000-8000-000000000005", chart: "MTL-000001", first: "Ana", last: "Silva",
                          dateOfBirth: date("1980-04-02"), phone: nil, email: "ana@example.org")
    let visit = Appointment(id: "01900000-0000-7000-8000-000000000006", patientID: patient.id, practitionerID: jdoe.id, roomID: room.id,
                            serviceID: service.id, span: TimeSpan(start: millis("2026-11-23T14:00:00Z"), end: millis("2026-11-23T14:30:00Z")),
                            status: .completed)
    var missed = visit
    missed.id = "01900000-0000-7000-8000-000000000007"
    missed.status = .noShow
    let entries = [NeedlingEntry(point: nil, muscle: try MuscleCatalog.muscle("upper trapezius"), side: .bilateral, count: 2)]
    let session = FHIRSource.Session(noteID: "01900000-0000-7000-8000-000000000008", appointmentID: visit.id, patientID: patient.id,
                                     authorID: jdoe.id, span: visit.span, painBefore: 7, painAfter: 3, needling: entries, needlesRemoved: 2,
                                     adverseEvents: [.init(id: "01900000-0000-7000-8000-000000000009", kind: .bruising, detail: "small bruise", at: visit.span.end)],
                                     signedAt: visit.span.end)
    let consent = FHIRSource.ConsentRecord(id: "01900000-0000-7000-8000-00000000000a", patientID: patient.id, intervention: .dryNeedling,
                                           date: date("2026-11-23"), guardian: nil, withdrawn: nil, recordedByID: jdoe.id)
    return FHIRSource(site: site, rooms: [room], staff: [.init(practitioner: jdoe, credentials: [Credential(scope: .dryNeedling, regulator: "OPPQ", number: "1", expires: nil)])],
                      services: [service], patients: [patient], appointments: [visit, missed], sessions: [session], consents: [consent])
}

/// Every `reference` value inside a JSON value.
private func references(_ value: JSONValue) -> [String] {
    switch value {
    case .object(let members):
        return members.flatMap { key, item -> [String] in
            if key == "reference", case .string(let text) = item { return [text] }
            return references(item)
        }
    case .array(let items): return items.flatMap(references)
    default: return []
    }
}

@Suite("FHIR R4 mapping")
struct ExchangeFHIRTests {
    @Test("appointment statuses map to FHIR's", arguments: [
        (AppointmentStatus.booked, "booked"), (.checkedIn, "arrived"), (.completed, "fulfilled"), (.cancelled, "cancelled"), (.noShow, "noshow"),
    ])
    func statuses(status: AppointmentStatus, fhir: String) {
        #expect(FHIRBundle.status(status) == fhir)
    }

    @Test("derived ids are stable UUIDs")
    func derivedIDs() {
        let id = FHIRBundle.derivedID("abc", "encounter")
        #expect(id == FHIRBundle.derivedID("abc", "encounter"))
        #expect(id != FHIRBundle.derivedID("abc", "nprs-before"))
        #expect(UUID(uuidString: id) != nil)
    }

    @Test("the bundle holds every resource type and every reference resolves to a fullUrl in it")
    func bundle() throws {
        let json = FHIRBundle(try source()).build(now: millis("2026-11-24T12:00:00Z"))
        guard case .object(let root) = json, case .array(let entries)? = root["entry"] else {
            Issue.record("not a bundle")
            return
        }
        #expect(root["type"] == .string("collection"))
        var types: [String: Int] = [:]
        var urls = Set<String>()
        for case .object(let entry) in entries {
            guard case .object(let resource)? = entry["resource"], case .string(let type)? = resource["resourceType"],
                  case .string(let url)? = entry["fullUrl"] else { continue }
            types[type, default: 0] += 1
            urls.insert(url)
            if case .string(let id)? = resource["id"] { #expect(url == "urn:uuid:" + id) }
        }
        #expect(types == ["Organization": 1, "Location": 2, "HealthcareService": 1, "Practitioner": 1, "Patient": 1, "Appointment": 2, "Encounter": 1,
                          "Procedure": 1, "Observation": 2, "AdverseEvent": 1, "Consent": 1])
        #expect(Set(references(json)).isSubset(of: urls))
        let text = json.canonical
        #expect(text.contains("\"72514-3\""))
        #expect(text.contains("\"noshow\"") && text.contains("\"fulfilled\""))
        #expect(text.contains("Needles inserted: 2; removed: 2. Sites: upper trapezius (bilateral) ×2"))
    }
}

/// The resource of `type` whose `name` is `name`, as members.
private func resource(_ json: JSONValue, _ type: String, named name: String) -> [String: JSONValue]? {
    guard case .object(let root) = json, case .array(let entries)? = root["entry"] else { return nil }
    for case .object(let entry) in entries {
        if case .object(let resource)? = entry["resource"], resource["resourceType"] == .string(type), resource["name"] == .string(name) {
            return resource
        }
    }
    return nil
}

@Suite("FHIR R4 mapping across sites")
struct ExchangeFHIRSitesTests {
    @Test("a room is part of its own site and managed by that site's Organization, whichever site exported it")
    func roomsOfTwoSites() throws {
        var source = try source()
        let quebec = Site(id: "01900000-0000-7000-8000-0000000000b1", code: "QC", name: "Québec", timeZone: "America/Toronto")
        let montreal = source.site
        let room = Room(id: "01900000-0000-7000-8000-0000000000b2", name: "Bed 1", kind: .bed, siteID: quebec.id)
        source.rooms = [Room(id: source.rooms[0].id, name: "Bed 1", kind: .bed, siteID: montreal.id), room]
        source.appointments[1].roomID = room.id
        source.sites = [montreal, quebec]
        let json = FHIRBundle(source).build(now: millis("2026-11-24T12:00:00Z"))
        let organizations = ["Montréal", "Québec"].map { resource(json, "Organization", named: $0) }
        #expect(organizations.allSatisfy { $0 != nil }, "one Organization per site of the bundle's rooms")
        let quebecOrganization = try #require(organizations[1]?["id"]?.stringValue)
        var rooms: [[String: JSONValue]] = []
        if case .object(let root) = json, case .array(let entries)? = root["entry"] {
            for case .object(let entry) in entries {
                if case .object(let resource)? = entry["resource"], resource["resourceType"] == .string("Location"), resource["name"] == .string("Bed 1") {
                    rooms.append(resource)
                }
            }
        }
        let atQuebec = try #require(rooms.first { $0["id"] == .string(room.id) })
        #expect(atQuebec["partOf"]?["reference"] == .string("urn:uuid:" + quebec.id))
        #expect(atQuebec["managingOrganization"]?["reference"] == .string("urn:uuid:" + quebecOrganization))
        let atMontreal = try #require(rooms.first { $0["id"] != .string(room.id) })
        #expect(atMontreal["partOf"]?["reference"] == .string("urn:uuid:" + montreal.id))
        let service = try #require(resource(json, "HealthcareService", named: "Dry needling"))
        #expect(service["location"] == .array([.object(["reference": .string("urn:uuid:" + montreal.id)]),
                                              .object(["reference": .string("urn:uuid:" + quebec.id)])]), "booked at both sites")
        #expect(Set(references(json)).isSubset(of: Set(allURLs(json))))
    }

    @Test("a bundle whose rooms are all at another site holds that site's Organization only")
    func onlyTheRoomsSites() throws {
        var source = try source()
        let quebec = Site(id: "01900000-0000-7000-8000-0000000000b1", code: "QC", name: "Québec", timeZone: "America/Toronto")
        source.rooms = [Room(id: source.rooms[0].id, name: "Bed 1", kind: .bed, siteID: quebec.id)]
        source.sites = [quebec]
        let json = FHIRBundle(source).build(now: millis("2026-11-24T12:00:00Z"))
        #expect(resource(json, "Organization", named: "Québec") != nil)
        #expect(resource(json, "Organization", named: "Montréal") == nil && resource(json, "Location", named: "Montréal") == nil)
        #expect(Set(references(json)).isSubset(of: Set(allURLs(json))))
    }
}

/// Every entry's fullUrl.
private func allURLs(_ json: JSONValue) -> [String] {
    guard case .object(let root) = json, case .array(let entries)? = root["entry"] else { return [] }
    return entries.compactMap { entry in
        if case .object(let members) = entry, case .string(let url)? = members["fullUrl"] { return url }
        return nil
    }
}
