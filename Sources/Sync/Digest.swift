import Models
import Storage

/// A SHA-256 over the canonical content of every synced table: equal at two sites exactly when
/// their synced data is equal. Local bookkeeping (audit, conflicts, quarantine, peers, clock) is left out.
public enum Digest {
    public static func compute(_ db: Database) throws -> String {
        var stream = SHA256Stream()
        try db.read { db in
            for table in SyncSchema.tables {
                let columns = table.columns
                try SyncedRowStore.eachRow(db, of: table) { row in
                    var values: [JSONValue] = [.string(table.name), .string(row.string(0))]
                    for index in columns.indices { values.append(SyncValues.json(row.values[index + 1])) }
                    stream.update(JSONValue.array(values).canonical)
                    stream.update("\n")
                }
            }
        }
        return stream.finalizeHex()
    }
}
