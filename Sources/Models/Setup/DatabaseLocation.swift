/// Where a site's database is, as `--db` or `$CLINIC_DB` give it: a file path (SQLite, the default
/// backend) or a PostgreSQL URL in libpq's forms, `postgresql://[user@]host[:port]/dbname[?param=value&…]`
/// (also `postgres://`). A password is never taken from the URL: libpq's `PGPASSWORD` and `~/.pgpass`
/// carry it, so it stays out of shell history, process listings and error text.
public enum DatabaseLocation: Sendable, Equatable {
    /// An SQLite database file.
    case sqlite(path: String)
    /// A database on a PostgreSQL server.
    case postgres(PostgresAddress)

    /// Reads what `--db` or `$CLINIC_DB` gave. Anything that does not start with a URL scheme is a path.
    /// Refuses (64, `invalid-database-url`) a URL that carries a password, a scheme other than
    /// PostgreSQL's, or a part libpq would not read; the refusal never repeats the URL.
    public init(parsing text: String) throws(ClinicError) {
        guard let scheme = DatabaseLocation.scheme(of: text) else {
            self = .sqlite(path: text)
            return
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw ClinicError(.invalidDatabaseURL,
                              "the database URL's scheme is not one clinic reads: give a file path (SQLite) or a postgresql:// URL")
        }
        self = .postgres(try PostgresAddress(url: String(text.dropFirst(scheme.count + 3))))
    }

    /// The lowercased scheme when `text` starts with `scheme://` (letters, digits, `+`, `-`, `.`), else nil.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return nil }
        let name = text[..<colon].unicodeScalars
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = name.first, letter(first),
              name.allSatisfy({ letter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        return String(name).lowercased()
    }

    /// Safe to print or log: the path, or the URL rebuilt without anything secret (it never holds one).
    public var display: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let address): return address.display
        }
    }
}

/// A PostgreSQL server and database, as libpq's URL names them. Unset parts keep libpq's defaults,
/// resolved where the connection is made (`PGHOST`, `PGPORT`, `PGUSER`, the login name).
public struct PostgresAddress: Sendable, Equatable {
    /// How to reach the server.
    public enum Endpoint: Sendable, Equatable {
        /// The default: `$PGHOST`, else the Unix socket directory libpq was built with.
        case libpqDefault
        /// A Unix-domain socket in this directory (the socket is `.s.PGSQL.<port>` inside it).
        case socket(directory: String)
        /// A TCP host name or address (an IPv6 address without its brackets).
        case tcp(host: String)
    }

    /// libpq's `sslmode` values that clinic honours.
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        case disable
        /// libpq's default: TLS when the server offers it, plain otherwise.
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    /// The server's port; nil for `$PGPORT`, else 5432.
    public var port: Int?
    /// The database's name.
    public var database: String
    /// The login role; nil for `$PGUSER`, else the operating-system login name.
    public var user: String?
    /// nil when the URL names none: libpq's default, `prefer` (no TLS over a Unix socket).
    public var sslMode: SSLMode?

    public init(endpoint: Endpoint, port: Int? = nil, database: String, user: String? = nil, sslMode: SSLMode? = nil) {
        self.endpoint = endpoint
        self.port = port
        self.database = database
        self.user = user
        self.sslMode = sslMode
    }

    /// Parses what follows `postgresql://`.
    init(url rest: String) throws(ClinicError) {
        // Split off the query (after the first `?`) and the path (from the first `/`).
        var head = Substring(rest)
        var query: Substring = ""
        if let mark = head.firstIndex(of: "?") {
            query = head[head.index(after: mark)...]
            head = head[..<mark]
        }
        if head.contains("#") {
            throw ClinicError(.invalidDatabaseURL, "the database URL has a fragment ('#'), which PostgreSQL URLs do not take")
        }
        var authority = head
        var path: Substring = ""
        if let slash = head.firstIndex(of: "/") {
            authority = head[..<slash]
            path = head[head.index(after: slash)...]
        }

        var user: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if userInfo.contains(":") { throw PostgresAddress.passwordRefusal }
            let name = try PostgresAddress.decode(userInfo, part: "user name")
            user = name.isEmpty ? nil : name
        }

        var host: String?
        var port: Int?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw ClinicError(.invalidDatabaseURL, "the database URL's IPv6 address has no closing ']'")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw ClinicError(.invalidDatabaseURL, "the database URL has text after its IPv6 address")
                }
                port = try PostgresAddress.port(after.dropFirst())
            }
        } else {
            var hostText = hostPort
            if let colon = hostPort.lastIndex(of: ":") {
                hostText = hostPort[..<colon]
                port = try PostgresAddress.port(hostPort[hostPort.index(after: colon)...])
            }
            if hostText.contains(",") {
                throw ClinicError(.invalidDatabaseURL, "the database URL names several hosts; clinic connects to one")
            }
            let decoded = try PostgresAddress.decode(hostText, part: "host")
            host = decoded.isEmpty ? nil : decoded
        }

        if path.contains("/") {
            throw ClinicError(.invalidDatabaseURL, "the database URL's path must be only the database name")
        }
        var database: String? = try PostgresAddress.decode(path, part: "database name")
        if database == "" { database = nil }
        var sslMode: SSLMode?

        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ClinicError(.invalidDatabaseURL, "the database URL's parameters must each be name=value")
            }
            let key = try PostgresAddress.decode(pair[..<equals], part: "parameter name")
            let value = try PostgresAddress.decode(pair[pair.index(after: equals)...], part: "parameter")
            switch key {
            case "password":
                throw PostgresAddress.passwordRefusal
            case "host", "hostaddr":
                if value.contains(",") {
                    throw ClinicError(.invalidDatabaseURL, "the database URL names several hosts; clinic connects to one")
                }
                host = value.isEmpty ? nil : value
            case "port":
                port = try PostgresAddress.port(Substring(value))
            case "user":
                user = value.isEmpty ? nil : value
            case "dbname":
                database = value.isEmpty ? nil : value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw ClinicError(.invalidDatabaseURL,
                                      "the database URL's sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "application_name", "connect_timeout":
                continue // libpq's; harmless to accept, not used yet
            default:
                let shown = key.count <= 40 && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") }
                    ? "'\(key)'" : "a parameter"
                throw ClinicError(.invalidDatabaseURL, ErrorMessage(verbatim: "the database URL has \(shown) that clinic does not read (it reads host, port, user, dbname and sslmode)"))
            }
        }

        guard let database else {
            throw ClinicError(.invalidDatabaseURL, "the database URL names no database: postgresql://[user@]host[:port]/dbname")
        }
        self.database = database
        self.user = user
        self.port = port
        self.sslMode = sslMode
        switch host {
        case nil: endpoint = .libpqDefault
        case let directory? where directory.hasPrefix("/"): endpoint = .socket(directory: directory)
        case let name?: endpoint = .tcp(host: name)
        }
    }

    static let passwordRefusal = ClinicError(
        .invalidDatabaseURL,
        "the database URL carries a password, which clinic never reads from a command line: give it in PGPASSWORD or ~/.pgpass (mode 0600) and leave it out of the URL")

    static func port(_ text: Substring) throws(ClinicError) -> Int? {
        if text.isEmpty { return nil }
        guard text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), (1...65535).contains(value) else {
            throw ClinicError(.invalidDatabaseURL, "the database URL's port must be a number from 1 to 65535")
        }
        return value
    }

    /// Percent-decodes one part of the URL (UTF-8), refusing a broken escape or a NUL.
    static func decode(_ text: Substring, part: String) throws(ClinicError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw ClinicError(.invalidDatabaseURL, ErrorMessage(verbatim: "the database URL's \(part) has a broken %-escape"))
            }
            bytes.append(high << 4 | low)
        }
        guard !bytes.contains(0), let decoded = String(validating: bytes, as: UTF8.self) else {
            throw ClinicError(.invalidDatabaseURL, ErrorMessage(verbatim: "the database URL's \(part) is not valid text"))
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The address as a URL, safe to print (it never held a password).
    public var display: String {
        var text = "postgresql://"
        if let user { text += PostgresAddress.encode(user, keepingSlash: false) + "@" }
        switch endpoint {
        case .libpqDefault: break
        case .socket: break
        case .tcp(let host): text += host.contains(":") ? "[\(host)]" : PostgresAddress.encode(host, keepingSlash: false)
        }
        if let port { text += ":\(port)" }
        text += "/" + PostgresAddress.encode(database, keepingSlash: false)
        var parameters: [String] = []
        if case .socket(let directory) = endpoint { parameters.append("host=" + PostgresAddress.encode(directory, keepingSlash: true)) }
        if let sslMode { parameters.append("sslmode=" + sslMode.rawValue) }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
