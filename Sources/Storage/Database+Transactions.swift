import Foundation
extension Database {
    /// Runs `body` in one write transaction opened with `BEGIN IMMEDIATE`, so the checks it makes
    /// and the rows it writes are serialised with every other writer. Rolls back on any error.
    /// Inside another write it runs in a savepoint (`inSavepoint`): a failed inner step rolls back
    /// alone and the outer transaction goes on. Inside a `read` it is refused (`write-inside-read`).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard openReads == 0 else { throw StorageError.writeInsideRead }
        if isInTransaction { return try inSavepoint(body) }
        // PostgreSQL may end a transaction only because of another one (a deadlock, a serialization
        // failure, a lock timeout): the whole write runs again, up to 5 times, and the user never sees it.
        // SQLite's errors are never retryable: its writers queue on the busy timeout instead.
        var attempt = 0
        while true {
            do {
                return try writeOnce(body)
            } catch let error as StorageError where error.isRetryable && attempt < Database.writeRetries {
                attempt += 1
                usleep(UInt32.random(in: 1_000...(20_000 * UInt32(attempt))))
            }
        }
    }

    /// How many times a write is run again after a retryable failure.
    static let writeRetries = 5

    private func writeOnce<T>(_ body: (Database) throws -> T) throws -> T {
        try backend.begin(.write, on: self)
        for observer in observers { observer.databaseDidBegin(self) }
        do {
            let value = try body(self)
            for observer in observers { try observer.databaseWillCommit(self) }
            try backend.commit(on: self)
            for observer in observers { observer.databaseDidCommit(self) }
            return value
        } catch {
            // The rollback hook tells the observers; when the transaction was already gone (SQLite
            // rolled it back itself), they are told again, which changes nothing.
            do { try backend.rollback(on: self) } catch { notifyRollback() }
            throw error
        }
    }

    /// Runs `body` in a savepoint of the open transaction: an error rolls back what `body` did and
    /// only that, then is rethrown. Outside a transaction it is a `write`.
    public func inSavepoint<T>(_ body: (Database) throws -> T) throws -> T {
        guard openReads == 0 else { throw StorageError.writeInsideRead }
        guard isInTransaction else { return try write(body) }
        // Named by depth, so the few names there are stay cached and no SQL text is read back.
        let name = "clinic_savepoint_\(openSavepoints + 1)"
        try backend.savepoint(name, on: self)
        openSavepoints += 1
        for observer in observers { observer.savepointDidBegin(self) }
        do {
            let value = try body(self)
            try backend.release(name, on: self)
            openSavepoints -= 1
            for observer in observers { observer.savepointDidRelease(self) }
            return value
        } catch {
            if isInTransaction, openSavepoints > 0 {
                try? backend.rollbackTo(name, on: self)
                try? backend.release(name, on: self)
                openSavepoints -= 1
                for observer in observers { observer.savepointDidRollBack(self) }
            }
            throw error
        }
    }

    /// Runs `body` in one read transaction, so every query sees the same snapshot. The connection is
    /// query-only meanwhile: a write inside fails with `write-inside-read` and changes nothing.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        if openReads > 0 { return try body(self) }
        let opensTransaction = !isInTransaction
        if opensTransaction { try backend.begin(.read, on: self) }
        do {
            try backend.setQueryOnly(true, on: self)
            openReads = 1
            let value = try body(self)
            openReads = 0
            try backend.setQueryOnly(false, on: self)
            if opensTransaction { try backend.commit(on: self) }
            return value
        } catch {
            openReads = 0
            try? backend.setQueryOnly(false, on: self)
            if opensTransaction { try? backend.rollback(on: self) }
            throw error
        }
    }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { backend.isInTransaction }
}
