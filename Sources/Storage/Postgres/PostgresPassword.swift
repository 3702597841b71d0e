import Foundation

/// Finds the password for a PostgreSQL login as libpq does, so a clinic's IT person keeps the habits
/// they have with `psql`: `PGPASSWORD` when set and not empty, else the password file (`$PGPASSFILE`,
/// else `~/.pgpass`), read only when it is a plain file no one but its owner can read or write
/// (0600 or stricter); otherwise it is ignored with libpq's one-line warning. The password itself is
/// never logged, printed or put into an error.
public struct PostgresPassword: Sendable {
    /// What the lookup matches a password-file line against, as libpq fills it in.
    public struct Target: Sendable, Equatable {
        /// The host name, or the socket directory for a Unix-domain socket.
        public var host: String
        public var port: Int
        public var database: String
        public var user: String

        public init(host: String, port: Int, database: String, user: String) {
            self.host = host
            self.port = port
            self.database = database
            self.user = user
        }
    }

    /// The Unix socket directory Debian's libpq uses when no host is given; a connection there also
    /// matches password-file lines for `localhost`, as libpq's does.
    public static let defaultSocketDirectory = "/var/run/postgresql"

    /// What a password lookup or a connection has to say that is not an error, as libpq says it: a line on
    /// standard error. The CLI passes its own (quiet under `--json`).
    public static let printWarning: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    /// The password for `target`, or nil when none is configured (the server may not ask for one).
    /// `warn` receives libpq's warning about a password file that is not used.
    public static func lookup(for target: Target, environment: [String: String] = ProcessInfo.processInfo.environment,
                              warn: (String) -> Void = PostgresPassword.printWarning) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        guard let file = passwordFile(environment: environment) else { return nil }
        var status = stat()
        guard stat(file, &status) == 0 else { return nil } // no file: no password, silently, as libpq
        guard status.st_mode & S_IFMT == S_IFREG else {
            warn("WARNING: password file \"\(file)\" is not a plain file")
            return nil
        }
        guard status.st_mode & (S_IRWXG | S_IRWXO) == 0 else {
            warn("WARNING: password file \"\(file)\" has group or world access; permissions should be u=rw (0600) or less")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return match(String(decoding: data, as: UTF8.self), target: target)
    }

    /// `$PGPASSFILE`, else `.pgpass` in `$HOME` (else the account's home directory).
    static func passwordFile(environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        }
        guard !home.isEmpty else { return nil }
        return (home.hasSuffix("/") ? home : home + "/") + ".pgpass"
    }

    /// The password of the first line of a password file that matches `target`, libpq's rules:
    /// `host:port:database:username:password`, `*` alone matches any value of its field, `\:` and
    /// `\\` stand for `:` and `\`, lines starting with `#` are comments. A socket directory is matched
    /// as written, and libpq's default one also as `localhost`.
    public static func match(_ contents: String, target: Target) -> String? {
        var host = target.host
        if host.isEmpty || host == defaultSocketDirectory { host = "localhost" }
        let fields = [host, String(target.port), target.database, target.user].map { Array($0.utf8) }
        let colon = UInt8(ascii: ":"), backslash = UInt8(ascii: "\\")
        // Bytes, not Characters: "\r\n" is one Character, and an escape is one byte before any byte.
        for rawLine in Array(contents.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var line = rawLine[...]
            while line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            var rest = line
            var matched = true
            for field in fields {
                guard let after = matchField(rest, field) else {
                    matched = false
                    break
                }
                rest = after
            }
            guard matched else { continue }
            // The password runs to the first unescaped ':' (or the end), with escapes removed.
            var password: [UInt8] = []
            var index = rest.startIndex
            while index < rest.endIndex, rest[index] != colon {
                if rest[index] == backslash, index + 1 < rest.endIndex { index += 1 }
                password.append(rest[index])
                index += 1
            }
            return String(decoding: password, as: UTF8.self)
        }
        return nil
    }

    /// libpq's `pwdfMatchesString`: what follows the field and its ':' when the field matches, else nil.
    private static func matchField(_ text: ArraySlice<UInt8>, _ value: [UInt8]) -> ArraySlice<UInt8>? {
        let colon = UInt8(ascii: ":"), backslash = UInt8(ascii: "\\")
        if text.count >= 2, text[text.startIndex] == UInt8(ascii: "*"), text[text.startIndex + 1] == colon {
            return text.dropFirst(2)
        }
        var index = text.startIndex
        var position = 0
        while index < text.endIndex {
            var byte = text[index]
            if byte == colon { return position == value.count ? text[(index + 1)...] : nil }
            if byte == backslash, index + 1 < text.endIndex {
                index += 1
                byte = text[index]
            }
            guard position < value.count, value[position] == byte else { return nil }
            position += 1
            index += 1
        }
        return nil
    }
}
