/// A compiled statement a caller runs, cached (`Database.cachedStatement`) or one-off
/// (`Database.makeStatement`). Every run goes through its connection, which tells the transaction
/// observers when a statement fails and refuses a write inside `read`. Each method switches on the
/// backend's statement (`BackendStatement`): one case today; a second backend adds its arm here.
public struct Prepared {
    let statement: BackendStatement
    let database: Database

    /// Runs the statement for its effect.
    public func execute(_ arguments: [SQLBindable] = []) throws {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            let run = database.statementWillRun()
            while try database.step(statement, run) {}
        case .postgres(let statement):
            _ = try database.run(statement, arguments.map(\.sqlValue))
        }
    }

    /// Every row.
    public func query(_ arguments: [SQLBindable] = []) throws -> [Row] {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            let run = database.statementWillRun()
            var rows: [Row] = []
            while try database.step(statement, run) { rows.append(statement.row()) }
            return rows
        case .postgres(let statement):
            return try database.run(statement, arguments.map(\.sqlValue)).map { Row(values: try PostgresColumns.values($0)) }
        }
    }

    /// Each row, without collecting them (for large scans).
    public func forEach(_ arguments: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            let run = database.statementWillRun()
            while try database.step(statement, run) { try body(statement.row()) }
        case .postgres(let statement):
            for row in try database.run(statement, arguments.map(\.sqlValue)) { try body(Row(values: try PostgresColumns.values(row))) }
        }
    }

    /// The first row, or nil.
    public func first(_ arguments: [SQLBindable] = []) throws -> Row? {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            return try database.step(statement, database.statementWillRun()) ? statement.row() : nil
        case .postgres(let statement):
            return try database.run(statement, arguments.map(\.sqlValue)).first.map { Row(values: try PostgresColumns.values($0)) }
        }
    }

    /// True when the query returns at least one row.
    public func exists(_ arguments: [SQLBindable] = []) throws -> Bool {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            return try database.step(statement, database.statementWillRun())
        case .postgres(let statement):
            return try !database.run(statement, arguments.map(\.sqlValue)).isEmpty
        }
    }

    /// Each row as a cursor, reading only the columns asked for.
    public func each(_ arguments: [SQLBindable] = [], _ body: (Cursor) throws -> Void) throws {
        switch statement {
        case .sqlite(let statement):
            try statement.bind(arguments)
            defer { statement.reset() }
            let cursor = Cursor(source: .sqlite(statement.pointer))
            let run = database.statementWillRun()
            while try database.step(statement, run) { try body(cursor) }
        case .postgres(let statement):
            for row in try database.run(statement, arguments.map(\.sqlValue)) {
                try body(Cursor(source: .values(try PostgresColumns.values(row))))
            }
        }
    }
}

/// The typed form for kept statements: bind every parameter (numbered from 1), then `run` or `probe`.
/// Bindings stay in place between runs, so a caller binds all of them each time.
extension Prepared {
    public func bind(_ value: String, at index: Int32) throws {
        switch statement {
        case .sqlite(let statement): try statement.bind(value, at: index)
        case .postgres(let statement): try statement.bind(.text(value), at: index)
        }
    }
    public func bind(_ value: String?, at index: Int32) throws {
        switch statement {
        case .sqlite(let statement): try statement.bind(value, at: index)
        case .postgres(let statement): try statement.bind(value.map(SQLValue.text) ?? .null, at: index)
        }
    }
    public func bind(_ value: Int64, at index: Int32) throws {
        switch statement {
        case .sqlite(let statement): try statement.bind(value, at: index)
        case .postgres(let statement): try statement.bind(.integer(value), at: index)
        }
    }
    public func bind(_ value: SQLValue, at index: Int32) throws {
        switch statement {
        case .sqlite(let statement): try statement.bind(value, at: index)
        case .postgres(let statement): try statement.bind(value, at: index)
        }
    }

    /// Runs the bound statement for its effect.
    public func run() throws {
        switch statement {
        case .sqlite(let statement):
            defer { statement.reset() }
            let run = database.statementWillRun()
            while try database.step(statement, run) {}
        case .postgres(let statement):
            _ = try database.run(statement, statement.bound)
        }
    }

    /// Binds `values` to parameters 1, 2, … and runs the statement for its effect; texts are bound
    /// in place, not copied by SQLite (see `Statement.run(binding:)`).
    public func run(binding values: [SQLValue]) throws {
        let run = database.statementWillRun()
        do {
            try statement.runUnobserved(binding: values)
        } catch {
            throw database.statementFailed(error, run)
        }
    }

    /// True when the bound query returns a row.
    public func probe() throws -> Bool {
        switch statement {
        case .sqlite(let statement):
            defer { statement.reset() }
            return try database.step(statement, database.statementWillRun())
        case .postgres(let statement):
            return try !database.run(statement, statement.bound).isEmpty
        }
    }
}

/// Runs that bypass the connection's run numbering and observers: only for the capture's seal, which
/// runs inside the commit (ChangeCapture.swift) and must not be told about itself. On the backend's
/// statement, not `Prepared`, so the capture buffer can keep it without holding its `Database`.
extension BackendStatement {
    /// Binds `values` in place and runs (`run(binding:)` without the observers).
    func runUnobserved(binding values: [SQLValue]) throws {
        switch self {
        case .sqlite(let statement): try statement.run(binding: values)
        case .postgres(let statement): _ = try statement.run(values)
        }
    }

    /// Advances; true when a row is ready in `cursor`.
    func stepUnobserved() throws -> Bool {
        switch self {
        case .sqlite(let statement): return try statement.step()
        case .postgres(let statement): return try statement.stepUnobserved()
        }
    }

    /// Ends a run started by `stepUnobserved`.
    func resetUnobserved() {
        switch self {
        case .sqlite(let statement): statement.reset()
        case .postgres(let statement): statement.resetUnobserved()
        }
    }

    /// The current row of a run started by `stepUnobserved`.
    var cursor: Cursor {
        switch self {
        case .sqlite(let statement): return Cursor(source: .sqlite(statement.pointer))
        case .postgres(let statement): return Cursor(source: .values(statement.currentRow))
        }
    }
}

/// The current row of a running statement; valid only inside the closure that received it. Each
/// read switches on the backend's row (`Source`): a predictable branch, no existential per column.
public struct Cursor {
    /// Where the row lives: SQLite's statement, or a row PostgreSQL sent, read once into values.
    enum Source {
        case sqlite(OpaquePointer)
        case values([SQLValue])
    }
    let source: Source

    @inline(__always) public func isNull(_ index: Int32) -> Bool {
        switch source {
        case .sqlite(let row): return SQLiteColumn.isNull(row, index)
        case .values(let row): return row[Int(index)] == .null
        }
    }
    @inline(__always) public func int(_ index: Int32) -> Int64 {
        switch source {
        case .sqlite(let row): return SQLiteColumn.int(row, index)
        case .values(let row): return Row(values: row).int(Int(index))
        }
    }
    @inline(__always) public func text(_ index: Int32) -> String {
        switch source {
        case .sqlite(let row): return SQLiteColumn.text(row, index)
        case .values(let row): return Row(values: row).string(Int(index))
        }
    }
    public func optionalText(_ index: Int32) -> String? { isNull(index) ? nil : text(index) }
    /// The column as the engine holds it.
    public func value(_ index: Int32) -> SQLValue {
        switch source {
        case .sqlite(let row): return SQLiteColumn.value(row, index)
        case .values(let row): return row[Int(index)]
        }
    }

    /// A text column's UTF-8 bytes as the engine holds them, valid only inside `body` (no String is made).
    @inline(__always) public func withText<T>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        switch source {
        case .sqlite(let row): return try SQLiteColumn.withText(row, index, body)
        case .values(let row):
            var text = Row(values: row).string(Int(index))
            return try text.withUTF8 { try body($0) }
        }
    }
}
