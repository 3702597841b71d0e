import CSQLite
import Models

extension Database {
    /// Runs `body` in one write transaction opened with `BEGIN IMMEDIATE`, so the checks it makes
    /// and the rows it writes are serialised with every other writer. Rolls back on any error.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard sqlite3_get_autocommit(handle) != 0 else { return try body(self) }
        try execute("BEGIN IMMEDIATE")
        captured.begin(collecting: capturesChanges)
        do {
            let value = try body(self)
            if capturesChanges { try ChangeCapture.seal(self) }
            try execute("COMMIT")
            captured.end()
            return value
        } catch {
            captured.end()
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in one read transaction, so every query sees the same snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard sqlite3_get_autocommit(handle) != 0 else { return try body(self) }
        try execute("BEGIN DEFERRED")
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
