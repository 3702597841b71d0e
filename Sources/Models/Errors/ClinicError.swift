/// How a refusal should be reported: the CLI maps each category to one exit code.
public enum ErrorCategory: Sendable, Equatable {
    /// A domain rule said no (exit 1).
    case refused
    /// Something on the command line is wrong (exit 64).
    case usage
    /// Content inside an input file is wrong (exit 65).
    case badInput
    /// The database or the file system failed (exit 74).
    case io
}

/// A refusal with a catalogued code (`ErrorCode`) and a message safe to show or log.
///
/// Messages never carry patient data or SQL bound values: they name *what* is wrong
/// (a field, a handle, a chart number, a time), never the content of a note or a name.
/// They name the thing (`ClinicField`), not the command-line option: the CLI spells fields as its options.
public struct ClinicError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: ErrorCode
    /// The text with its fields kept apart, for a front end that names them its own way.
    public let text: ErrorMessage

    public init(_ code: ErrorCode, _ text: ErrorMessage) {
        self.code = code
        self.text = text
    }

    /// The message with each field named by what it is ("the end time").
    public var message: String { text.description }

    /// Fixed by the code, never by the thrower.
    public var category: ErrorCategory { code.category }

    public var description: String { "\(code): \(message)" }

    /// Something named does not exist (exit 1, `not-found`).
    public static func notFound(_ what: String) -> ClinicError {
        ClinicError(.notFound, "\(what) not found")
    }
}
