
/// The changes the capture triggers hand to `clinic_capture` during one `Database.write`, kept in
/// memory until `ChangeCapture.seal` turns them into `change` rows just before COMMIT. It follows the
/// connection's transactions as a `TransactionObserver`.
///
/// The buffer follows what SQLite keeps: a statement that fails drops what it captured (SQLite undoes
/// the statement), a savepoint rolled back by `inSavepoint` drops what was captured since it opened,
/// and any rollback of the transaction drops everything. A commit that would leave captured changes
/// unsealed is refused. Outside `write` (a statement in autocommit mode, or a transaction opened by
/// hand) the function stages the change in `change_staging` instead, and the next `write` by any
/// connection seals it.
final class CaptureBuffer: TransactionObserver {
    struct Entry {
        var table: String
        var rowID: String
        var group: String
        var values: String
        var previous: String?
        /// The statement run that captured it (`Database.statementWillRun`), so a failed one drops its own.
        var run = 0
    }

    private(set) var entries: [Entry] = []
    /// True between BEGIN and the seal of a `write` once `isEnabled`.
    private(set) var collecting = false
    /// True once the schema has change capture; set by whoever opens the clinic database, after migrating.
    var isEnabled = false
    /// The number of entries when each open savepoint began.
    private var savepointMarks: [Int] = []
    /// The statements `ChangeCapture.seal` runs, compiled on the first sealing write and kept.
    private var sealing: ChangeCapture.Statements?
    /// The connection the buffer belongs to, which keeps it alive.
    unowned let database: Database

    private init(database: Database) {
        self.database = database
    }

    /// Hands over and forgets what was captured.
    func drain() -> [Entry] {
        let drained = entries
        entries.removeAll(keepingCapacity: true)
        return drained
    }

    /// The seal's statements, compiled on the first sealing write.
    func sealStatements() throws -> ChangeCapture.Statements {
        if let sealing { return sealing }
        let compiled = try ChangeCapture.Statements(database)
        sealing = compiled
        return compiled
    }

    /// Seals what a long bulk write has captured so far, so that its memory stays that of a batch, not
    /// of the whole write (`PatientImport`): those changes take an earlier stamp of the same transaction.
    /// Only between statements, and only when every open savepoint began with nothing captured: then
    /// all that is sealed was written inside each of them, and a savepoint rolled back takes the sealed
    /// rows with the rest (a change captured before a savepoint and sealed inside it would not survive
    /// the savepoint's rollback, so then nothing is sealed early). Meant for writes that touch each row's
    /// field group once (a second write of a group after a seal would be a change of its own).
    func sealSoFar(_ db: Database) throws {
        guard collecting, savepointMarks.allSatisfy({ $0 == 0 }), !entries.isEmpty else { return }
        try ChangeCapture.seal(db, from: self)
    }

    private func end() {
        entries.removeAll(keepingCapacity: true)
        savepointMarks.removeAll()
        collecting = false
    }

    // MARK: TransactionObserver

    func databaseDidBegin(_ db: Database) {
        end()
        collecting = isEnabled
    }

    func databaseWillCommit(_ db: Database) throws {
        if collecting { try ChangeCapture.seal(db, from: self) }
    }

    func databaseMayCommit(_ db: Database) -> Bool { !(collecting && !entries.isEmpty) }

    func databaseDidCommit(_ db: Database) { end() }

    func databaseDidRollback(_ db: Database) { end() }

    func savepointDidBegin(_ db: Database) { savepointMarks.append(entries.count) }

    func savepointDidRelease(_ db: Database) { _ = savepointMarks.popLast() }

    func savepointDidRollBack(_ db: Database) {
        guard let mark = savepointMarks.popLast(), mark < entries.count else { return }
        entries.removeSubrange(mark...)
    }

    func statementDidFail(_ db: Database, run: Int) {
        while let last = entries.last, last.run >= run { entries.removeLast() }
    }
}

extension CaptureBuffer {
    /// Keeps one change the engine's capture entry point reported while collecting.
    func collect(_ entry: Entry) { entries.append(entry) }

    /// Makes the buffer `db`'s capture: the engine's capture entry point (SQLite: the
    /// `clinic_capture` function, CaptureBuffer+SQLite.swift) feeds it, and it observes `db`'s transactions.
    @discardableResult
    static func install(on db: Database) throws -> CaptureBuffer {
        let buffer = CaptureBuffer(database: db)
        try buffer.registerSQLiteFunction(on: db)
        db.add(transactionObserver: buffer)
        return buffer
    }
}

extension Database {
    /// Seals the changes captured so far in this `write` (see `CaptureBuffer.sealSoFar`).
    package func sealCapturedChanges() throws {
        for case let buffer as CaptureBuffer in observers { try buffer.sealSoFar(self) }
    }
}
