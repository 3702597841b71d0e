import Models
import Storage

extension ConflictBook {
    /// Records a person's decision as a synced change; every kind can be settled in every state its
    /// rows reach, and what was finished stays as it is. Keeping one side of a double booking cancels the
    /// other while it is still booked (a session that took place, or has a signed note, is left alone);
    /// keeping the older side of a concurrent edit writes its values again so it wins, unless a signature
    /// has frozen the row since. A shared handle is not settled by keeping a side: it is refused
    /// (`rename-required`), pointing at `staff rename`.
    package func resolve(id text: String, keep: String, by handle: String, now: Int64) throws -> Entry {
        try db.write { db in
            let book = ConflictBook(db)
            let store = ConflictStore(db)
            let matches = try book.list().filter { $0.id == text || $0.id.hasPrefix(text.lowercased()) }
            guard text.count >= 8, matches.count == 1, let entry = matches.first else {
                if matches.count > 1 { throw ClinicError(.ambiguous, "more than one conflict starts with \(text)") }
                if text.count >= 8, try store.resolvedConflictIDs().contains(where: { $0.hasPrefix(text.lowercased()) }) {
                    throw ClinicError(.duplicate, "this conflict is already resolved")
                }
                throw ClinicError.notFound("conflict \(text)")
            }
            guard keep == "A" || keep == "B" else { throw ClinicError(.invalidSide, "\(.conflictSide) must be A or B") }
            let kept = keep == "A" ? entry.a : entry.b
            let dropped = keep == "A" ? entry.b : entry.a
            var effect = "the decision is recorded; nothing else changes"
            switch entry.kind {
            case "duplicate-handle":
                throw ClinicError(.renameRequired, """
                    two staff members share this handle, and keeping one side cannot change that: give one of them another \
                    handle with 'clinic staff rename \(IDSuffix.short(entry.b.reference)) NEW-HANDLE'
                    """)
            case "double-booking":
                if try store.isStillBooked(appointment: dropped.reference) {
                    _ = try Scheduler(db).cancel(dropped.reference, reason: "double booking resolved in favour of \(IDSuffix.short(kept.reference))",
                                                 series: false, now: now)
                    effect = "booking \(IDSuffix.short(dropped.reference)) is cancelled"
                } else {
                    effect = "the decision is recorded; booking \(IDSuffix.short(dropped.reference)) took place or has a signed note and stays as it is"
                }
                // PostgreSQL: the kept booking is bound by the exclusion constraints again.
                try store.clearDoubleBooking(kept.reference)
            case "concurrent-edit":
                effect = try book.restore(kept, now: now)
                    ? "side \(keep)'s values are written again"
                    : "the decision is recorded; a signature has frozen the row since, and it stays as signed"
            default:
                break
            }
            try store.recordResolution(id: UUIDv7.string(at: Instant.date(now)), conflictID: entry.id, keep: keep, by: handle, at: now)
            var resolved = entry
            resolved.resolution = keep
            resolved.resolvedBy = handle
            resolved.resolvedAt = now
            resolved.describeStakes()
            resolved.effect = effect
            return resolved
        }
    }

    /// Writes the kept side of a concurrent edit again, so it wins everywhere; nothing when a signature
    /// froze the row since (a signed note, or the slot of a booking whose note is signed). True when written.
    func restore(_ kept: Side, now: Int64) throws -> Bool {
        guard let table = kept.summary["table"]?.stringValue, let row = kept.summary["row"]?.stringValue,
              let values = kept.summary["values"]?.objectValue, let synced = SyncSchema.table(table), !values.isEmpty,
              values.keys.allSatisfy({ synced.columns.contains($0) }) else { return false }
        let store = ConflictStore(db)
        if try store.isLockedBySignature(table: table, row: row) { return false }
        if table == "appointment", values["start_ms"] != nil, try store.hasSignedNote(appointment: row) { return false }
        let columns = values.keys.sorted()
        try SyncedRowStore(db, table: synced).update(id: row, columns: columns, values: columns.map { SyncValues.sql(values[$0] ?? .null) })
        // Restoring an older slot can itself make an overlap: look, as an import would.
        var recorder = try Merger(db: db, now: now)
        try ConflictDetector(db: db, now: now).detect(touched: [Merger.RowKey(table: table, rowID: row)], recorder: &recorder)
        return true
    }
}
