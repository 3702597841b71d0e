import Models

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

/// Deterministic random bits, so id tests do not depend on luck.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Testing
