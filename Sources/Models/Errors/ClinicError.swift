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

/// A refusal with a stable machine code and a message safe to show or log.
///
/// Messages never carry patient data or SQL bound values: they name *what* is wrong
/// (a field, a handle, a chart number, a time), never the content of a note or a name.
public struct ClinicError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let category: ErrorCategory

    public init(_ category: ErrorCategory, _ code: String, _ message: String) {
        self.category = category
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// A command-line value that cannot be used (exit 64).
    public static func usage(_ code: String, _ message: String) -> ClinicError {
        ClinicError(.usage, code, message)
    }

    /// A rule refused the operation (exit 1).
    public static func refused(_ code: String, _ message: String) -> ClinicError {
        ClinicError(.refused, code, message)
    }

    /// Something named on the command line does not exist (exit 1, `not-found`).
    public static func notFound(_ what: String) -> ClinicError {
        ClinicError(.refused, "not-found", "\(what) not found")
    }
}
