import CSQLite

extension Database {
    /// Runs `body` in one write transaction opened with `BEGIN IMMEDIATE`, so the checks it makes
    /// and the rows it writes are serialised with every other writer. Rolls back on any error.
    /// Inside another write it runs in a savepoint (`inSavepoint`): a failed inner step rolls back
    /// alone and the outer transaction goes on. Inside a `read` it is refused (`write-inside-read`).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard openReads == 0 else { throw StorageError.writeInsideRead }
        if isInTransaction { return try inSavepoint(body) }
        try execute("BEGIN IMMEDIATE")
        for observer in observers { observer.databaseDidBegin(self) }
        do {
            let value = try body(self)
            for observer in observers { try observer.databaseWillCommit(self) }
            try execute("COMMIT")
            for observer in observers { observer.databaseDidCommit(self) }
            return value
        } catch {
            // The rollback hook tells the observers; when the transaction was already gone (SQLite
            // rolled it back itself), they are told again, which changes nothing.
            do { try execute("ROLLBACK") } catch { notifyRollback() }
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
        try execute("SAVEPOINT \(name)")
        openSavepoints += 1
        for observer in observers { observer.savepointDidBegin(self) }
        do {
            let value = try body(self)
            try execute("RELEASE \(name)")
            openSavepoints -= 1
            for observer in observers { observer.savepointDidRelease(self) }
            return value
        } catch {
            if isInTransaction, openSavepoints > 0 {
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
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
        if opensTransaction { try execute("BEGIN DEFERRED") }
        do {
            try execute("PRAGMA query_only = 1")
            openReads = 1
            let value = try body(self)
            openReads = 0
            try execute("PRAGMA query_only = 0")
            if opensTransaction { try execute("COMMIT") }
            return value
        } catch {
            openReads = 0
            try? execute("PRAGMA query_only = 0")
            if opensTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// True while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
