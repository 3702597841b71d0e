import Foundation
import Models
@testable import Storage

/// 2026-11-23T14:00:00Z, the clock every storage test runs at.
let testNow: Int64 = 1_795_392_000_000 + 14 * 3_600_000
let testToday = CivilDate(daysSinceEpoch: 20_780)

/// A database file in its own temporary directory, removed when the test is done with it.
struct TemporaryDatabase: ~Copyable {
    let directory: URL
    let path: String

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-storage-\(UUID().uuidString)")
        path = directory.appendingPathComponent("clinic.sqlite").path
    }

    /// A new connection, creating and migrating the file on first use.
    func open() throws -> Database { try Database(path: path) }

    /// A connection to a database that already holds the local site `MTL`.
    func openWithSite() throws -> Database {
        let db = try open()
        _ = try db.write { try SiteRepository($0).createLocal(code: "MTL", name: "Montréal", timeZone: "America/Toronto", now: testNow) }
        return db
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// The code of the error `body` throws (`ClinicError` or `StorageError`), or nil when it succeeds.
func errorCode(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ClinicError {
        return error.code.name
    } catch let error as StorageError {
        return error.code.name
    } catch {
        return "unexpected \(type(of: error))"
    }
}

/// Rows in a table, read on the given connection.
func count(_ table: String, in db: Database) throws -> Int {
    Int(try db.first("SELECT COUNT(*) FROM \(table)")?.int(0) ?? -1)
}
