import Foundation
import Models
import PostgresTestSupport
import Storage
import Testing

/// The storage backend a CLI test runs `clinic` against: a test parameter (`@Test(arguments: Backend.allCases)`),
/// so one test body checks both for the same output, exit codes and JSON.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// Where one test's database lives: a file path in `folder` (SQLite), or a fresh database of its own on
/// the test cluster (PostgreSQL), dropped when the last copy of the test's harness lets go of it.
struct BackendDatabase: Sendable {
    let backend: Backend
    /// What `--db` is given: the file path, or the `postgresql://` URL.
    let argument: String
    /// The password environment the cluster gives (`PGPASSWORD`/`PGPASSFILE`), for every `clinic` run.
    let environment: [String: String]
    /// Keeps the PostgreSQL database alive; dropping the last reference drops it.
    private let scratch: ScratchPostgresDatabase?

    /// A new database in `folder` (or on the cluster), empty, or a copy of `template`.
    init(_ backend: Backend, folder: URL, copying template: BackendDatabase? = nil) {
        self.backend = backend
        switch backend {
        case .sqlite:
            argument = folder.appendingPathComponent("clinic.sqlite").path
            environment = [:]
            scratch = nil
            if let template {
                do { try FileManager.default.copyItem(atPath: template.argument, toPath: argument) } catch {
                    Issue.record("could not copy the template database: \(error)")
                }
            }
        case .postgres:
            do {
                let database = try ScratchPostgresDatabase("t_cli", template: template?.scratch)
                scratch = database
                argument = database.address.display
                environment = database.cluster.adminEnvironment.filter { ["PGPASSWORD", "PGPASSFILE"].contains($0.key) }
            } catch {
                // The test fails, never skips, without a server: every command then names an unusable database.
                Issue.record("no PostgreSQL test database: \(error)")
                scratch = nil
                argument = "postgresql://nobody@%2Fnonexistent/none"
                environment = [:]
            }
        }
    }

    /// The database opened in this process, as the admin role (for tests that look inside).
    func open() throws -> Database {
        if let scratch { return try scratch.open() }
        return try Database(path: argument, create: false)
    }
}
