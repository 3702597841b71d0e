import PostgresNIO
/// Follows a connection's transactions, so work that must happen in the same transaction as every
/// write (change capture) registers itself instead of living in `Database`. Every method has an
/// empty default.
protocol TransactionObserver: AnyObject {
    /// `write` opened its transaction.
    func databaseDidBegin(_ db: Database)
    /// `write` is about to commit: the last moment to write in the same transaction; throwing rolls it back.
    func databaseWillCommit(_ db: Database) throws
    /// SQLite is about to commit, whoever asked (`write`, or a COMMIT by hand): false turns it into a rollback.
    func databaseMayCommit(_ db: Database) -> Bool
    /// `write` committed.
    func databaseDidCommit(_ db: Database)
    /// The transaction was rolled back: by `write`, by hand, or by SQLite itself.
    func databaseDidRollback(_ db: Database)
    /// `inSavepoint` opened a savepoint inside the transaction.
    func savepointDidBegin(_ db: Database)
    /// The innermost savepoint was released: what it did joins the enclosing transaction.
    func savepointDidRelease(_ db: Database)
    /// The innermost savepoint was rolled back and released: what it did is gone.
    func savepointDidRollBack(_ db: Database)
    /// A statement failed and SQLite undid what it wrote; `run` is what `statementWillRun` gave when it started.
    func statementDidFail(_ db: Database, run: Int)
}

extension TransactionObserver {
    func databaseDidBegin(_ db: Database) {}
    func databaseWillCommit(_ db: Database) throws {}
    func databaseMayCommit(_ db: Database) -> Bool { true }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
    func savepointDidBegin(_ db: Database) {}
    func savepointDidRelease(_ db: Database) {}
    func savepointDidRollBack(_ db: Database) {}
    func statementDidFail(_ db: Database, run: Int) {}
}

extension Database {
    /// Registers `observer` for the life of the connection.
    func add(transactionObserver observer: TransactionObserver) {
        observers.append(observer)
    }

    // MARK: Statement runs

    /// Numbers a statement's run before its first step; a failure reports the number to the
    /// observers, so they can drop what the statement did (anything recorded at this number or later).
    func statementWillRun() -> Int {
        statementRuns &+= 1
        return statementRuns
    }

    /// Steps `statement` in the run numbered `run`.
    func step(_ statement: Statement, _ run: Int) throws -> Bool {
        do {
            return try statement.step()
        } catch {
            throw statementFailed(error, run)
        }
    }

    /// Runs a PostgreSQL statement as one numbered run, telling the observers if it fails.
    func run(_ statement: PostgresStatement, _ values: [SQLValue]) throws -> [PostgresRow] {
        let run = statementWillRun()
        do {
            return try statement.run(values)
        } catch {
            throw statementFailed(error, run)
        }
    }

    /// Tells the observers a statement failed, and names a write refused inside `read` as such.
    func statementFailed(_ error: any Error, _ run: Int) -> any Error {
        for observer in observers { observer.statementDidFail(self, run: run) }
        if openReads > 0, backend.isQueryOnlyRefusal(error) {
            return StorageError.writeInsideRead
        }
        return error
    }

    /// Tells the observers the transaction was rolled back (the backend's rollback hook, or `write`).
    func notifyRollback() {
        openSavepoints = 0
        for observer in observers { observer.databaseDidRollback(self) }
    }
}
