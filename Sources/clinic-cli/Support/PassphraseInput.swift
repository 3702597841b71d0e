import Foundation
import Glibc
import Models

/// Where passphrases come from: a prompt without echo on a terminal, a file's first line, or
/// `$CLINIC_PASSPHRASE` when stdin is not a terminal (scripts and tests). Never a command-line argument.
enum PassphraseInput {
    /// `$CLINIC_PASSPHRASE` as the process started; `forgetEnvironment` removes it from the environment
    /// at once, so no child process (a pager, an editor) ever inherits it.
    nonisolated(unsafe) private static var environmentValue: String?

    /// Takes `$CLINIC_PASSPHRASE` out of the environment, keeping it for this process alone.
    static func forgetEnvironment() {
        if let value = getenv("CLINIC_PASSPHRASE") { environmentValue = String(cString: value) }
        unsetenv("CLINIC_PASSPHRASE")
    }

    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// An existing passphrase of `handle`: a prompt on a terminal, else `$CLINIC_PASSPHRASE`; nil when neither.
    static func existing(for handle: String?, file: String? = nil) throws -> String? {
        if let file { return try firstLine(of: file) }
        if standardInputIsTerminal { return try prompt("Passphrase" + (handle.map { " for \($0)" } ?? "") + ": ") }
        return environmentValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A new passphrase: `--passphrase-file`'s first line, else a prompt asked twice on a terminal, else
    /// (only where nobody is proven yet: `init`, `recover-admin`) `$CLINIC_PASSPHRASE`. Nil when none.
    static func new(file: String?, what: String, environmentAllowed: Bool = false) throws -> String? {
        if let file { return try firstLine(of: file) }
        if standardInputIsTerminal {
            let first = try prompt("New passphrase for \(what): ")
            let second = try prompt("The same again: ")
            guard first == second else { throw ClinicError(.passphraseMismatch, "the two passphrases differ; nothing was changed") }
            return first
        }
        return environmentAllowed ? environmentValue.flatMap { $0.isEmpty ? nil : $0 } : nil
    }

    /// A new passphrase that must be given: 64 `passphrase-required` otherwise.
    static func requireNew(file: String?, what: String, environmentAllowed: Bool = false) throws -> String {
        guard let passphrase = try new(file: file, what: what, environmentAllowed: environmentAllowed) else {
            throw ClinicError(.passphraseRequired, "give the new passphrase with --passphrase-file FILE (first line)"
                                    + (environmentAllowed ? " or $CLINIC_PASSPHRASE" : "") + ", or run this on a terminal to be asked")
        }
        return passphrase
    }

    /// The first line of a file, without its line ending; the file's content is never repeated in an error.
    static func firstLine(of path: String) throws -> String {
        // A pipe (`<(…)`, /dev/stdin) as well as a file: read to the end, at most 64 KiB.
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: 65_536) ?? Data() else {
            throw ClinicError(.unreadable, "cannot read the passphrase file")
        }
        try? handle.close()
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let passphrase = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !passphrase.isEmpty else { throw ClinicError(.passphraseRequired, "the passphrase file's first line is empty") }
        return passphrase
    }

    /// Reads a line from the terminal with echo off, restoring the terminal whatever happens.
    static func prompt(_ text: String) throws -> String {
        let tty = open("/dev/tty", O_RDWR)
        let input = tty >= 0 ? tty : STDIN_FILENO
        defer { if tty >= 0 { close(tty) } }
        var original = termios()
        let hasTerminal = tcgetattr(input, &original) == 0
        if hasTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(input, TCSAFLUSH, &silent)
        }
        defer { if hasTerminal { tcsetattr(input, TCSAFLUSH, &original) } }
        _ = text.withCString { write(input == STDIN_FILENO ? STDERR_FILENO : input, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(input, &byte, 1) == 1, byte != 10 { bytes.append(byte) }
        _ = "\n".withCString { write(input == STDIN_FILENO ? STDERR_FILENO : input, $0, 1) }
        if bytes.last == 13 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw ClinicError(.passphraseRequired, "no passphrase was typed") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
