import Models
import Testing

/// The code of the `ClinicError` that `body` throws, or nil when it does not throw one.
func clinicErrorCode(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ClinicError {
        return error.code.name
    } catch {
        return "unexpected \(type(of: error))"
    }
}

/// A date the test knows to be valid.
func date(_ text: String) -> CivilDate {
    guard let date = CivilDate.parse(text) else {
        Issue.record("test fixture \(text) is not a date")
        return CivilDate(daysSinceEpoch: 0)
    }
    return date
}
