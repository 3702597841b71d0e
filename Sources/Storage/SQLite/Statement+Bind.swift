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

    /// Binds `values` to parameters 1, 2, … and steps to the end, for a statement that returns no
    /// rows. Texts are bound where they lie (`SQLITE_STATIC`) for as long as the step runs and are
    /// unbound after it, so SQLite copies none of them (the hot inserts of an import).
    func run(binding values: [SQLValue]) throws {
        defer {
            reset()
            sqlite3_clear_bindings(pointer)
        }
        try bindInPlace(values, from: 0)
    }

    /// Binds `values[index...]`, each text inside its own `withUTF8` so its bytes stay put, then steps.
    private func bindInPlace(_ values: [SQLValue], from index: Int) throws {
        guard index < values.count else {
            while try step() {}
            return
        }
        let parameter = Int32(index + 1)
        guard case .text(var text) = values[index] else {
            try bind(values[index], at: parameter)
            return try bindInPlace(values, from: index + 1)
        }
        try text.withUTF8 { bytes in
            // An empty string's bytes may have no address, and a nil pointer would bind NULL: SQLite copies "".
            try check(bytes.baseAddress.map {
                sqlite3_bind_text(pointer, parameter, UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
            } ?? sqlite3_bind_text(pointer, parameter, "", 0, SQLITE_TRANSIENT_VALUE))
            try bindInPlace(values, from: index + 1)
        }
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
