import Models

extension ClinicField {
    /// The option that supplies this field on the command line: refusals from below the CLI name
    /// fields, and the CLI prints them as the user typed them.
    var option: String {
        switch self {
        case .acknowledgement: return "--acknowledge"
        case .actor: return "--as HANDLE (or $CLINIC_ACTOR)"
        case .address: return "--address"
        case .allowDuplicate: return "--allow-duplicate"
        case .amendment: return "--text"
        case .assessment: return "--assessment"
        case .conflictSide: return "--keep"
        case .credentialNumber: return "--number"
        case .date: return "--date"
        case .dateFormat: return "--date-format"
        case .dateOfBirth: return "--dob"
        case .destination: return "--to"
        case .detail: return "--detail"
        case .discipline: return "--discipline"
        case .email: return "--email"
        case .emergencyContact: return "--emergency-contact"
        case .endTime: return "--to"
        case .estim: return "--estim"
        case .expiry: return "--expires"
        case .firstName: return "--first"
        case .force: return "--force"
        case .fromDate: return "--from"
        case .gauge: return "--gauge"
        case .guardian: return "--guardian"
        case .lastName: return "--last"
        case .muscle: return "--muscle"
        case .name: return "--name"
        case .ndi: return "--ndi"
        case .needleCount: return "--count"
        case .needleDepth: return "--depth"
        case .needleLength: return "--length"
        case .objective: return "--objective"
        case .occurrenceCount: return "--count"
        case .odi: return "--odi"
        case .painAfter: return "--pain-after"
        case .painBefore: return "--pain-before"
        case .phone: return "--phone"
        case .plan: return "--plan"
        case .point: return "--point"
        case .psfs: return "--psfs"
        case .reason: return "--reason"
        case .recipient: return "--for"
        case .regulator: return "--regulator"
        case .retention: return "--retention"
        case .risks: return "--risks"
        case .roles: return "--role"
        case .roomName: return "room name"
        case .sessionLength: return "--for"
        case .side: return "--side"
        case .siteKey: return "--key"
        case .siteName: return "--site-name"
        case .startTime: return "--from"
        case .subjective: return "--subjective"
        case .time: return "--at"
        case .until: return "--until"
        case .week: return "--week"
        case .weekday: return "--day"
        }
    }
}

extension ClinicError {
    /// The message as the command line shows it, each field spelled as its option.
    var commandLineMessage: String { text.rendered(naming: \.option) }
}
