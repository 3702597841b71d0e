import CSQLite

/// Typed binding for the statements a write runs every time (the seal's change inserts, import's
/// change and row inserts): no `[SQLBindable]` array and no existential per value. Text binds as
/// `bind(_:)` does.
extension Statement {
    func bind(_ value: String, at index: Int32) throws {
        try check(Statement.bindText(pointer, index, value))
    }

    func bind(_ value: String?, at index: Int32) throws {
        guard let value else { return try check(sqlite3_bind_null(pointer, index)) }
        try bind(value, at: index)
    }

    func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(pointer, index, value))
    }

    func bind(_ value: SQLValue, at index: Int32) throws {
        try check(bindValue(value, at: index))
    }

    /// Steps to the end and resets, for a statement that returns no rows.
    func runToEnd() throws {
        defer { reset() }
        while try step() {}
    }

    private func check(_ result: Int32) throws {
        guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: sqlite3_db_handle(pointer)) }
    }
}

/// The typed form for kept statements: bind every parameter (numbered from 1), then `run` or `probe`.
/// Bindings stay in place between runs, so a caller binds all of them each time.
extension Prepared {
    public func bind(_ value: String, at index: Int32) throws { try statement.bind(value, at: index) }
    public func bind(_ value: String?, at index: Int32) throws { try statement.bind(value, at: index) }
    public func bind(_ value: Int64, at index: Int32) throws { try statement.bind(value, at: index) }
    public func bind(_ value: SQLValue, at index: Int32) throws { try statement.bind(value, at: index) }

    /// Runs the bound statement for its effect.
    public func run() throws { try statement.runToEnd() }

    /// True when the bound query returns a row.
    public func probe() throws -> Bool {
        defer { statement.reset() }
        return try statement.step()
    }
}
