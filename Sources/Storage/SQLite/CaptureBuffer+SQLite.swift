import CSQLite

/// The capture's SQLite entry point: the function every capture trigger calls.
extension CaptureBuffer {
    /// Registers `clinic_capture(tbl, row_id, grp, vals, prev)` on `db`, feeding this buffer.
    func registerSQLiteFunction(on db: Database) throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let result = sqlite3_create_function_v2(db.sqliteHandle, "clinic_capture", 5, SQLITE_UTF8, context, { context, count, arguments in
            guard let context, let arguments, count == 5,
                  let owner = sqlite3_user_data(context) else { return }
            let buffer = Unmanaged<CaptureBuffer>.fromOpaque(owner).takeUnretainedValue()
            func text(_ index: Int) -> String? {
                guard let value = arguments[index], sqlite3_value_type(value) != SQLITE_NULL,
                      let bytes = sqlite3_value_text(value) else { return nil }
                return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_value_bytes(value))), as: UTF8.self)
            }
            guard let table = text(0), let rowID = text(1), let group = text(2), let values = text(3) else {
                sqlite3_result_error(context, "clinic_capture: missing argument", -1)
                return
            }
            let entry = Entry(table: table, rowID: rowID, group: group, values: values, previous: text(4), run: buffer.database.statementRuns)
            if buffer.collecting {
                buffer.collect(entry)
            } else {
                do {
                    try buffer.database.execute("INSERT INTO change_staging (tbl, row_id, grp, vals, prev) VALUES (?, ?, ?, ?, ?)",
                                                [entry.table, entry.rowID, entry.group, entry.values, entry.previous])
                } catch {
                    sqlite3_result_error(context, "clinic_capture: cannot stage a change", -1)
                    return
                }
            }
            sqlite3_result_null(context)
        }, nil, nil, nil)
        guard result == SQLITE_OK else { throw StorageError(resultCode: result, handle: db.sqliteHandle) }
    }
}
