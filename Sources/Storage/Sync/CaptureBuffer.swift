import CSQLite

/// The changes the capture triggers hand to `clinic_capture` during one `Database.write`, kept in
/// memory until `ChangeCapture.seal` turns them into `change` rows just before COMMIT.
///
/// The buffer follows what SQLite keeps: a statement that fails drops what it captured (SQLite undoes
/// the statement), a rollback to a savepoint drops what was captured since it, and any rollback of
/// the transaction drops everything. A commit that would leave captured changes unsealed is refused.
/// Outside `write` (a statement in autocommit mode, or a transaction opened by hand) the function
/// stages the change in `change_staging` instead, and the next `write` by any connection seals it.
final class CaptureBuffer {
    struct Entry {
        var table: String
        var rowID: String
        var group: String
        var values: String
        var previous: String?
    }

    private(set) var entries: [Entry] = []
    /// True between BEGIN and the seal of a `write` on a database with change capture.
    private(set) var collecting = false
    private var savepoints: [(name: String, mark: Int)] = []

    func begin(collecting: Bool) {
        rolledBack()
        self.collecting = collecting
    }

    func end() { begin(collecting: false) }

    /// Hands over and forgets what was captured.
    func drain() -> [Entry] {
        let drained = entries
        entries.removeAll(keepingCapacity: true)
        return drained
    }

    func mark() -> Int { entries.count }

    func statementFailed(back mark: Int) {
        if mark < entries.count { entries.removeSubrange(mark...) }
    }

    /// What a savepoint statement does to the buffer.
    enum Savepoint {
        case open(String)
        case release(String)
        case rollback(String)

        /// Classifies a statement once, when it is prepared; nil for anything but SAVEPOINT, RELEASE, ROLLBACK TO.
        init?(sql: String) {
            guard let first = sql.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }),
                  first | 0x20 == UInt8(ascii: "s") || first | 0x20 == UInt8(ascii: "r") else { return nil }
            let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == ";" })
                .map { String($0.filter { !"\"'`[]".contains($0) }).lowercased() }
            guard let keyword = words.first, let name = words.last, words.count >= 2 else { return nil }
            switch keyword {
            case "savepoint": self = .open(name)
            case "release": self = .release(name)
            case "rollback" where words.contains("to"): self = .rollback(name)
            default: return nil
            }
        }
    }

    func apply(_ savepoint: Savepoint) {
        switch savepoint {
        case .open(let name):
            savepoints.append((name, entries.count))
        case .release(let name):
            if let index = savepoints.lastIndex(where: { $0.name == name }) { savepoints.removeSubrange(index...) }
        case .rollback(let name):
            if let index = savepoints.lastIndex(where: { $0.name == name }) {
                statementFailed(back: savepoints[index].mark)
                savepoints.removeSubrange((index + 1)...)
            }
        }
    }

    func rolledBack() {
        entries.removeAll(keepingCapacity: true)
        savepoints.removeAll()
    }

    // MARK: SQLite hooks

    /// Registers `clinic_capture(tbl, row_id, grp, vals, prev)` and the commit and rollback hooks.
    static func install(on database: Database) throws {
        let context = Unmanaged.passUnretained(database).toOpaque()
        let result = sqlite3_create_function_v2(database.handle, "clinic_capture", 5, SQLITE_UTF8, context, { context, count, arguments in
            guard let context, let arguments, count == 5,
                  let owner = sqlite3_user_data(context) else { return }
            let database = Unmanaged<Database>.fromOpaque(owner).takeUnretainedValue()
            func text(_ index: Int) -> String? {
                guard let value = arguments[index], sqlite3_value_type(value) != SQLITE_NULL,
                      let bytes = sqlite3_value_text(value) else { return nil }
                return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value))), as: UTF8.self)
            }
            guard let table = text(0), let rowID = text(1), let group = text(2), let values = text(3) else {
                sqlite3_result_error(context, "clinic_capture: missing argument", -1)
                return
            }
            let entry = Entry(table: table, rowID: rowID, group: group, values: values, previous: text(4))
            if database.captured.collecting {
                database.captured.entries.append(entry)
            } else {
                do {
                    try database.execute("INSERT INTO change_staging (tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?)",
                                         [entry.table, entry.rowID, entry.group, entry.values, entry.previous])
                } catch {
                    sqlite3_result_error(context, "clinic_capture: cannot stage a change", -1)
                    return
                }
            }
            sqlite3_result_null(context)
        }, nil, nil, nil)
        guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: database.handle) }
        sqlite3_rollback_hook(database.handle, { owner in
            guard let owner else { return }
            Unmanaged<Database>.fromOpaque(owner).takeUnretainedValue().captured.rolledBack()
        }, context)
        sqlite3_commit_hook(database.handle, { owner in
            guard let owner else { return 0 }
            let buffer = Unmanaged<Database>.fromOpaque(owner).takeUnretainedValue().captured
            return buffer.collecting && !buffer.entries.isEmpty ? 1 : 0
        }, context)
    }

    static func uninstall(from handle: OpaquePointer) {
        sqlite3_commit_hook(handle, nil, nil)
        sqlite3_rollback_hook(handle, nil, nil)
    }
}
