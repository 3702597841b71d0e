import Foundation
import Models
import PostgresNIO

/// A value bound to or read from a PostgreSQL statement: the same values as SQLite's, so a row
/// reads alike from either backend (integers as `bigint`, reals as `double precision`, blobs as `bytea`).
public typealias PostgresValue = SQLValue

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// A synchronous connection to a PostgreSQL server over PostgresNIO, for a command-line process:
/// its own event loop of one thread, each call waiting for its answer (never on that loop).
/// SCRAM-SHA-256 (or whatever the server asks) with the password libpq would find; TLS per `sslmode`.
/// Errors are `StorageError`s with code `postgres` (or `constraint`) naming the SQLSTATE, never a
/// password or a bound value; an appointment's exclusion constraint is a `ClinicError` `slot-taken`.
public final class PostgresLink {
    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger
    private var inTransaction = false
    private var closed = false

    /// Where the link is connected, safe to show.
    public let address: PostgresAddress

    /// Connects to `address`. Unset parts of the address take libpq's defaults from `environment`
    /// (`PGHOST`, `PGPORT`, `PGUSER`); the password is `PostgresPassword.lookup`'s.
    public init(_ address: PostgresAddress, environment: [String: String] = ProcessInfo.processInfo.environment,
                warn: @escaping (String) -> Void = PostgresPassword.printWarning) throws {
        self.address = address
        var logger = Logger(label: "clinic.postgres")
        logger.logLevel = .critical
        self.logger = logger

        let resolved = PostgresLink.resolve(address, environment: environment)
        let password = PostgresPassword.lookup(
            for: .init(host: resolved.host, port: resolved.port, database: address.database, user: resolved.user),
            environment: environment, warn: warn)

        var configuration: PostgresConnection.Configuration
        if resolved.host.hasPrefix("/") {
            let socket = (resolved.host.hasSuffix("/") ? resolved.host : resolved.host + "/") + ".s.PGSQL.\(resolved.port)"
            configuration = .init(unixSocketPath: socket, username: resolved.user, password: password, database: address.database)
        } else {
            configuration = .init(host: resolved.host, port: resolved.port, username: resolved.user, password: password,
                                  database: address.database, tls: try PostgresLink.tls(address.sslMode ?? .prefer))
        }
        configuration.options.connectTimeout = .seconds(10)

        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw PostgresLink.storageError(error, connecting: address, hadPassword: password != nil)
        }
    }

    deinit {
        if !closed {
            _ = try? connection.close().wait()
            try? group.syncShutdownGracefully()
        }
    }

    /// Ends the session with the server and stops the event loop.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Runs one statement, discarding any rows; returns the number of rows it changed (0 when it says none).
    @discardableResult
    public func execute(_ sql: String, _ binds: [PostgresValue] = []) throws -> Int {
        try run(sql, binds).metadata.rows ?? 0
    }

    /// Runs one statement and returns its rows, each a list of values in column order.
    public func query(_ sql: String, _ binds: [PostgresValue] = []) throws -> [[PostgresValue]] {
        try run(sql, binds).rows.map { row in try row.map(PostgresLink.value) }
    }

    /// Runs a script of statements without parameters (a schema, a setup), one statement at a time
    /// (`PostgresSQLText.statements`: plpgsql bodies stay whole).
    public func executeScript(_ sql: String) throws {
        for statement in PostgresSQLText.statements(sql) { _ = try run(statement, []) }
    }

    /// Runs one statement with its values bound by kind, and returns its rows as the server sent
    /// them and the number of rows it changed: for the backend, which reads cells as it needs them.
    func rows(_ sql: String, _ binds: [SQLValue]) throws -> (rows: [PostgresRow], changed: Int) {
        let result = try run(sql, binds)
        return (result.rows, result.metadata.rows ?? 0)
    }

    /// Runs `body` between BEGIN and COMMIT; anything it throws rolls the transaction back and is rethrown.
    public func transaction<T>(_ body: (PostgresLink) throws -> T) throws -> T {
        guard !inTransaction else {
            throw StorageError(.postgres, resultCode: 0, message: "a transaction was started inside another; nothing was changed")
        }
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        let result: T
        do {
            result = try body(self)
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        return result
    }

    private func run(_ sql: String, _ values: [PostgresValue]) throws -> PostgresQueryResult {
        guard !closed else {
            throw StorageError(.postgres, resultCode: 0, message: "the PostgreSQL connection is closed")
        }
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .null: binds.appendNull()
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            throw PostgresLink.refusal(error)
        }
    }

    /// A statement's failure as clinic reports it: an exclusion violation (SQLSTATE 23P01) of an
    /// appointment constraint is `slot-taken` naming the resource, anything else a `StorageError`.
    static func refusal(_ error: any Error) -> any Error {
        if let info = (error as? PSQLError)?.serverInfo, info[.sqlState] == "23P01",
           let name = info[.constraintName], let taken = AppointmentConstraints.slotTaken(constraint: name) {
            return taken
        }
        return storageError(error, connecting: nil, hadPassword: false)
    }

    /// A cell as the SQLite-shaped value clinic reads: integers, reals, text, blobs; a boolean as 0 or 1.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            throw StorageError(.postgres, resultCode: 0,
                               message: "column \(cell.columnIndex + 1) has a PostgreSQL type (oid \(cell.dataType.rawValue)) clinic does not read yet; cast it to text")
        }
    }

    /// The host (or socket directory), port and user that libpq would use for `address`.
    static func resolve(_ address: PostgresAddress, environment: [String: String]) -> (host: String, port: Int, user: String) {
        let host: String
        switch address.endpoint {
        case .socket(let directory): host = directory
        case .tcp(let name): host = name
        case .libpqDefault:
            let fromEnvironment = environment["PGHOST"] ?? ""
            host = fromEnvironment.isEmpty ? PostgresPassword.defaultSocketDirectory : fromEnvironment
        }
        let port = address.port ?? environment["PGPORT"].flatMap(Int.init) ?? 5432
        var user = address.user ?? environment["PGUSER"] ?? ""
        if user.isEmpty, let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            user = String(cString: name)
        }
        return (host, port, user)
    }

    static func tls(_ mode: PostgresAddress.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none // libpq's prefer and require encrypt without checking who answers
            let context = try NIOSSLContext(configuration: configuration)
            return mode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// What the server reported, as clinic reports it. The server's message is kept only where it
    /// holds no data: data exceptions (class 22) and constraint violations (class 23) can quote a
    /// value, so they keep only the state and the constraint's name. A trigger's refusal (CL001,
    /// raised by clinic's own triggers with clinic's own words) reads as SQLite's does.
    static func serverError(state: String, message: String, constraint: String?, database: String?) -> StorageError {
        func error(_ code: ErrorCode, _ text: String) -> StorageError {
            StorageError(code, resultCode: 0, message: text, sqlState: state)
        }
        switch state {
        case "CL001":
            return error(.constraint, "a database constraint refused the change (\(message))")
        case "40001", "40P01", "55P03":
            return error(.locked, "the database stayed locked by another clinic process; try again (SQLSTATE \(state))")
        case "25006":
            return error(.writeInsideRead, "a read tried to write; nothing was changed (a write must run in 'write')")
        case "3D000":
            let name = database.map { " \"\($0)\"" } ?? ""
            return error(.notInitialised, "the PostgreSQL server has no database\(name); create it, then run 'clinic init'")
        case "28P01", "28000":
            return error(.postgres, "the PostgreSQL server refused the login (SQLSTATE \(state)); check the user and PGPASSWORD or ~/.pgpass")
        case "57014":
            return error(.postgres, "the PostgreSQL server cancelled the statement (SQLSTATE 57014: a timeout or an administrator)")
        default:
            break
        }
        switch state.prefix(2) {
        case "23":
            let name = constraint.map { " \"\($0)\"" } ?? ""
            return error(.constraint, "a database constraint\(name) refused the change (SQLSTATE \(state))")
        case "22":
            // Data exceptions quote the offending value: keep only the state.
            return error(.postgres, "PostgreSQL refused a value (SQLSTATE \(state))")
        default:
            return error(.postgres, "PostgreSQL: \(message) (SQLSTATE \(state))")
        }
    }

    /// A failure as a `StorageError`: the SQLSTATE and the server's own words where they hold no data,
    /// never the password, the statement's bound values or a row's contents.
    static func storageError(_ error: any Error, connecting address: PostgresAddress?, hadPassword: Bool) -> StorageError {
        guard let error = error as? PSQLError else {
            let place = address.map { " at \($0.display)" } ?? ""
            return StorageError(.postgres, resultCode: 0, message: "cannot reach the PostgreSQL server\(place)")
        }
        if let info = error.serverInfo, let state = info[.sqlState] {
            return serverError(state: state, message: info[.message] ?? "no message", constraint: info[.constraintName],
                               database: address?.database)
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return StorageError(.postgres, resultCode: 0,
                                message: "the PostgreSQL server asks for a password and none was found: set PGPASSWORD or add it to ~/.pgpass (mode 0600)")
        case .unsupportedAuthMechanism:
            return StorageError(.postgres, resultCode: 0, message: "the PostgreSQL server asks for a login method clinic does not speak (use scram-sha-256)")
        case .saslError:
            return StorageError(.postgres, resultCode: 0, message: "the PostgreSQL login failed (SCRAM)")
        case .sslUnsupported:
            return StorageError(.postgres, resultCode: 0, message: "the PostgreSQL server does not offer TLS, which the sslmode requires")
        case .failedToAddSSLHandler:
            return StorageError(.postgres, resultCode: 0, message: "the TLS connection to the PostgreSQL server failed")
        default:
            let place = address.map { " at \($0.display)" } ?? ""
            return StorageError(.postgres, resultCode: 0, message: "the connection to the PostgreSQL server\(place) failed (\(error.code))")
        }
    }
}
