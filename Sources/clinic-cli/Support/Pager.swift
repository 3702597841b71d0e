import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Long human output read on a terminal goes through `$PAGER` (default `less -FRX`), as `git` and
/// `man` do; never when standard output is piped, never for `--json` or `--csv`, and not when
/// `PAGER` is empty or `cat`.
enum Pager {
    /// When a command's output is long enough to page.
    enum When {
        case never
        /// Always on a terminal (a week: the pager itself quits when it fits, with `less -F`).
        case always
        /// When it has more lines than the terminal has rows.
        case tallerThanTerminal
    }

    /// The pager's shell command for this run, or nil to print straight to standard output.
    static func command(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        guard let pager = environment["PAGER"] else { return "less -FRX" }
        let trimmed = pager.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// The terminal's rows: `LINES` when it holds a positive number, else the terminal's size.
    static func terminalRows(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        if let text = environment["LINES"], let rows = Int(text.trimmingCharacters(in: .whitespaces)), rows > 0 { return rows }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }

    /// Shows `text` through the pager when `when` asks for it and there is one; false when the
    /// caller should print it itself (no terminal, no pager, or the pager could not start).
    static func page(_ text: String, when: When) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        guard when != .never, let command = command(environment) else { return false }
        if when == .tallerThanTerminal {
            guard let rows = terminalRows(environment), text.split(separator: "\n", omittingEmptySubsequences: false).count >= rows else {
                return false
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        // The pager is someone else's program: it gets no passphrase.
        var childEnvironment = environment
        childEnvironment["CLINIC_PASSPHRASE"] = nil
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "FRX" }
        process.environment = childEnvironment
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            return false
        }
        // A reader who quits the pager early closes the pipe: that is not an error.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data((text + "\n").utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        // A pager that is missing (127), not a program (126) or failed showed nothing: the text is printed
        // instead, so a mistyped PAGER never leaves the desk with an empty schedule.
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            StandardError.write("clinic: warning: the pager ($PAGER) did not run (exit \(process.terminationStatus)); printing directly")
            return false
        }
        return true
    }
}
