/// Maps a clinic's records to a FHIR R4 Bundle of type `collection`. Every resource's fullUrl is
/// `urn:uuid:<id>` and every reference points at one, so a receiver resolves them inside the bundle.
public struct FHIRBundle {
    public let source: FHIRSource

    public init(_ source: FHIRSource) { self.source = source }

    /// Identifier systems of our own codes: a receiver can tell them apart from national ones.
    enum System {
        static let chart = "urn:clinic:chart"
        /// Extensions of a Provenance signature: the key id, the raw Ed25519 public key, the signed document's SHA-256.
        static let signingKey = "urn:clinic:fhir:signing-key"
        static let signingPublicKey = "urn:clinic:fhir:signing-public-key"
        static let signedDocument = "urn:clinic:fhir:signed-document-sha256"
        static let staff = "urn:clinic:staff"
        static let site = "urn:clinic:site"
        static let service = "urn:clinic:service"
        static let scope = "urn:clinic:scope"
        static let intervention = "urn:clinic:intervention"
        static let acupoint = "urn:clinic:who-standard-acupoint"
        static let muscle = "urn:clinic:muscle"
        static let adverseEvent = "urn:clinic:adverse-event"
        static let appointment = "urn:clinic:appointment"
        static let physicalType = "http://terminology.hl7.org/CodeSystem/location-physical-type"
        static let loinc = "http://loinc.org"

        /// `urn:clinic:regulator:OPPQ`; anything but letters, digits and `-` becomes `-` so it stays a URI.
        static func regulator(_ name: String) -> String {
            "urn:clinic:regulator:" + String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        }
    }

    /// LOINC 72514-3: pain severity 0–10 verbal numeric rating, reported (the NPRS).
    public static let nprsLOINC = "72514-3"

    /// The bundle as JSON, stamped with `now`.
    public func build(now: Int64) -> JSONValue {
        var resources: [JSONValue] = sites.map(organization) + sites.map(siteLocation)
        resources += source.rooms.map(roomLocation)
        resources += source.services.map(healthcareService)
        resources += source.staff.map(practitioner)
        resources += source.patients.map(patient)
        resources += source.appointments.map(appointment)
        resources += clinicalResources()
        let entries = resources.map { resource -> JSONValue in
            guard case .object(let members) = resource, case .string(let id)? = members["id"] else { return .object(["resource": resource]) }
            return .object(["fullUrl": .string("urn:uuid:" + id), "resource": resource])
        }
        return .object([
            "resourceType": .string("Bundle"),
            "id": .string(Self.derivedID(source.site.id + (source.patients.count == 1 ? source.patients[0].id : "all"), "bundle")),
            "type": .string("collection"),
            "timestamp": .string(Instant.iso(now)),
            "entry": .array(entries),
        ])
    }

    /// A reference a receiver resolves inside the bundle.
    static func reference(_ id: String) -> JSONValue { .object(["reference": .string("urn:uuid:" + id)]) }

    static func coding(_ system: String, _ code: String, _ display: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["system": .string(system), "code": .string(code)]
        if let display { members["display"] = .string(display) }
        return .object(members)
    }

    static func concept(_ codings: [JSONValue], text: String?) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if !codings.isEmpty { members["coding"] = .array(codings) }
        if let text { members["text"] = .string(text) }
        return .object(members)
    }

    /// A stable UUID for a resource that has no row of its own (an Encounter, an Observation), so
    /// exporting twice gives the same ids.
    public static func derivedID(_ base: String, _ tag: String) -> String {
        var hex = Array(SHA256Hex.of(base + "/" + tag).prefix(32))
        hex[12] = "8"
        if let nibble = Int(String(hex[16]), radix: 16) { hex[16] = Character(String(8 | (nibble & 3), radix: 16)) }
        let text = String(hex)
        func part(_ from: Int, _ length: Int) -> String {
            String(text.dropFirst(from).prefix(length))
        }
        return [part(0, 8), part(8, 4), part(12, 4), part(16, 4), part(20, 12)].joined(separator: "-")
    }

    // MARK: Administrative resources

    /// The sites the bundle's rooms are at (the exporting site when the source names none).
    var sites: [Site] { source.sites ?? [source.site] }

    /// The site a room is at: its own, never the exporting site's unless it is there.
    func site(of room: Room) -> Site { sites.first { $0.id == room.siteID } ?? source.site }

    /// A site as the organisation that runs it; its id is derived from the site's, whose own is its Location's.
    static func organizationID(_ site: Site) -> String { derivedID(site.id, "organization") }

    func organization(_ site: Site) -> JSONValue {
        .object([
            "resourceType": .string("Organization"), "id": .string(Self.organizationID(site)), "active": .bool(true),
            "name": .string(site.name),
            "identifier": .array([.object(["system": .string(System.site), "value": .string(site.code)])]),
        ])
    }

    func siteLocation(_ site: Site) -> JSONValue {
        .object([
            "resourceType": .string("Location"), "id": .string(site.id), "status": .string("active"), "mode": .string("instance"),
            "name": .string(site.name),
            "identifier": .array([.object(["system": .string(System.site), "value": .string(site.code)])]),
            "physicalType": Self.concept([Self.coding(System.physicalType, "si", "Site")], text: nil),
            "description": .string("Clinic site, time zone \(site.timeZone)"),
            "managingOrganization": Self.reference(Self.organizationID(site)),
        ])
    }

    /// A room: part of its own site's Location, managed by that site's Organization.
    func roomLocation(_ room: Room) -> JSONValue {
        let code = room.kind == .bed ? ("bd", "Bed") : ("ro", "Room")
        let site = site(of: room)
        return .object([
            "resourceType": .string("Location"), "id": .string(room.id), "status": .string("active"), "mode": .string("instance"), "name": .string(room.name),
            "physicalType": Self.concept([Self.coding(System.physicalType, code.0, code.1)], text: room.kind.rawValue),
            "partOf": Self.reference(site.id),
            "managingOrganization": Self.reference(Self.organizationID(site)),
        ])
    }

    /// A service, at the bundle's sites where its appointments are (every site of the bundle when it has none in it).
    func healthcareService(_ service: Service) -> JSONValue {
        let rooms = Set(source.appointments.filter { $0.serviceID == service.id }.map(\.roomID))
        let booked = Set(source.rooms.filter { rooms.contains($0.id) }.map { site(of: $0).id })
        let places = sites.filter { booked.isEmpty || booked.contains($0.id) }
        var members: [String: JSONValue] = [
            "resourceType": .string("HealthcareService"), "id": .string(service.id), "active": .bool(true), "name": .string(service.name),
            "identifier": .array([.object(["system": .string(System.service), "value": .string(service.slug)])]),
            "type": .array([Self.concept([], text: service.discipline.rawValue)]),
            "comment": .string("\(service.durationMinutes) min" + (service.requires.map { "; requires \($0.rawValue)" } ?? "")),
        ]
        if !places.isEmpty { members["location"] = .array(places.map { Self.reference($0.id) }) }
        return .object(members)
    }

    func practitioner(_ member: FHIRSource.StaffMember) -> JSONValue {
        let staff = member.practitioner
        let qualifications = member.credentials.map { credential -> JSONValue in
            var members: [String: JSONValue] = [
                "identifier": .array([.object(["system": .string(System.regulator(credential.regulator)), "value": .string(credential.number)])]),
                "code": Self.concept([Self.coding(System.scope, credential.scope.rawValue)], text: "\(credential.scope.rawValue) (\(credential.regulator))"),
                "issuer": .object(["display": .string(credential.regulator)]),
            ]
            if let expires = credential.expires { members["period"] = .object(["end": .string(expires.description)]) }
            return .object(members)
        }
        var members: [String: JSONValue] = [
            "resourceType": .string("Practitioner"), "id": .string(staff.id), "active": .bool(true),
            "identifier": .array([.object(["system": .string(System.staff), "value": .string(staff.handle)])]),
            "name": .array([.object(["text": .string(staff.name)])]),
        ]
        if !qualifications.isEmpty { members["qualification"] = .array(qualifications) }
        return .object(members)
    }

    func patient(_ patient: Patient) -> JSONValue {
        var telecom: [JSONValue] = []
        if let phone = patient.phone { telecom.append(.object(["system": .string("phone"), "value": .string(phone)])) }
        if let email = patient.email { telecom.append(.object(["system": .string("email"), "value": .string(email)])) }
        var members: [String: JSONValue] = [
            "resourceType": .string("Patient"), "id": .string(patient.id), "active": .bool(true),
            "identifier": .array([.object(["system": .string(System.chart), "value": .string(patient.chart)])]),
            "name": .array([.object(["family": .string(patient.last), "given": .array([.string(patient.first)])])]),
            "birthDate": .string(patient.dateOfBirth.description),
        ]
        if !telecom.isEmpty { members["telecom"] = .array(telecom) }
        return .object(members)
    }

    /// FHIR's appointment status for ours: checked-in is `arrived`, completed `fulfilled`.
    public static func status(_ status: AppointmentStatus) -> String {
        switch status {
        case .booked: return "booked"
        case .checkedIn: return "arrived"
        case .completed: return "fulfilled"
        case .cancelled: return "cancelled"
        case .noShow: return "noshow"
        }
    }

    func appointment(_ appointment: Appointment) -> JSONValue {
        let service = source.services.first { $0.id == appointment.serviceID }
        let participants = [appointment.patientID, appointment.practitionerID, appointment.roomID, appointment.serviceID].map {
            JSONValue.object(["actor": Self.reference($0), "status": .string("accepted"), "required": .string("required")])
        }
        var members: [String: JSONValue] = [
            "resourceType": .string("Appointment"), "id": .string(appointment.id), "status": .string(Self.status(appointment.status)),
            "identifier": .array([.object(["system": .string(System.appointment), "value": .string(appointment.id)])]),
            "start": .string(Instant.iso(appointment.span.start)), "end": .string(Instant.iso(appointment.span.end)),
            "minutesDuration": .integer(appointment.span.durationMillis / 60_000),
            "participant": .array(participants),
        ]
        if let service {
            members["serviceType"] = .array([Self.concept([Self.coding(System.service, service.slug)], text: service.name)])
        }
        if appointment.status == .cancelled, appointment.lateCancel {
            members["cancelationReason"] = Self.concept([], text: "late cancellation (under 24 h notice)")
        }
        return .object(members)
    }
}
