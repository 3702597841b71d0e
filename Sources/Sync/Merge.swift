import Models
import Storage

/// Brings domain rows in line with the changes stored for them: per field group the larger
/// (HLC, origin) wins; rows wait (pending) until every group and every referenced row is here;
/// a signed note's content comes from its signature's snapshot and nothing else.
struct Merger {
    let db: Database
    let now: Int64
    private(set) var newConflicts = 0
    /// Every row this merge inserted or updated, including rows released from pending.
    private(set) var appliedKeys: Set<RowKey> = []
    /// Rows inserted straight from their runs (`applyNew`), each once: kept apart from `appliedKeys`
    /// so that a file of new rows never hashes a row key.
    private(set) var insertedNew: [InsertedRow] = []
    /// The longest appointment stored, kept here while merging and written back once per merge.
    private(set) var maxDuration: Int64
    private var storedMaxDuration: Int64
    /// Rows known to exist, per table (by `SyncSchema` rank), so a row's references are not looked
    /// up again and again. Forgotten whenever this merge deletes anything (a delete may cascade).
    private var known = [Set<String>](repeating: [], count: SyncSchema.tables.count)
    /// What `applyNew` needs of each table, by rank, worked out once per process.
    private static let plans: [NewRowPlan?] = SyncSchema.tables.map(NewRowPlan.init)
    private var knownCount = 0
    private let winnersQuery: Prepared
    /// The last change stored before this merge began: conflicts are counted for changes after it only.
    private let baseline: Int64
    /// The late changes to signed notes already counted as new conflicts (a note may be merged twice).
    private var countedLate: Set<String> = []
    private var tableStatements = [TableStatements?](repeating: nil, count: SyncSchema.tables.count)

    init(db: Database, now: Int64) throws {
        self.db = db
        self.now = now
        maxDuration = try db.first("SELECT value FROM schedule_bound WHERE key = 'max_duration_ms'")?.int(0) ?? 0
        storedMaxDuration = maxDuration
        baseline = try db.first("SELECT max(seq) FROM change")?.optionalInt(0) ?? 0
        winnersQuery = try db.prepare("""
            SELECT grp, seq, hlc, origin, vals, change_id FROM change WHERE tbl = ? AND row_id = ? AND change_id IS NOT NULL
            """)
    }

    /// Starts the next chunk's list of applied rows.
    mutating func forgetApplied() {
        appliedKeys.removeAll(keepingCapacity: true)
        insertedNew.removeAll(keepingCapacity: true)
    }

    struct RowKey: Hashable, Comparable {
        let table: String
        let rowID: String
        /// Position of the table in dependency order, computed once (sorting compares it often).
        let rank: Int

        init(table: String, rowID: String) {
            self.table = table
            self.rowID = rowID
            rank = SyncSchema.rank(table)
        }

        /// True for the key of `rowID` in `table`, compared row id first (two rows of one table differ there).
        func names(table: String, rowID: String) -> Bool { self.rowID == rowID && self.table == table }

        static func == (lhs: RowKey, rhs: RowKey) -> Bool { lhs.table == rhs.table && lhs.rowID == rhs.rowID }

        func hash(into hasher: inout Hasher) {
            hasher.combine(table)
            hasher.combine(rowID)
        }

        static func < (lhs: RowKey, rhs: RowKey) -> Bool {
            (lhs.rank, lhs.rowID) < (rhs.rank, rhs.rowID)
        }
    }

    /// A row the import inserted, with the rowid SQLite gave it.
    struct InsertedRow {
        let key: RowKey
        let rowid: Int64
    }

    struct Winner {
        let values: [String: JSONValue]
        let hlc: HLC
        let origin: String
    }

    /// Applies every touched row, parents first, until nothing moves; `fresh` holds values of changes
    /// just received, by id. With `retryPending`, rows left pending by earlier merges are tried again
    /// and the pending list is rewritten; otherwise rows that must wait are added to it.
    mutating func apply(_ touched: Set<RowKey>, fresh: [Int64: [String: JSONValue]] = [:], retryPending: Bool = true) throws {
        var queue = touched
        if retryPending {
            for row in try db.query("SELECT tbl, row_id FROM pending_row") { queue.insert(RowKey(table: row.string(0), rowID: row.string(1))) }
        }
        var progress = true
        var signatures: Set<String> = []
        while progress {
            progress = false
            var stillPending: Set<RowKey> = []
            for key in queue.sorted() {
                switch try applyRow(key, fresh: fresh) {
                case .done: progress = true; appliedKeys.insert(key)
                case .pending: stillPending.insert(key)
                case .signPending: signatures.insert(key.rowID); progress = true; appliedKeys.insert(key)
                }
            }
            for note in signatures.sorted() {
                if try finishSignature(noteID: note) { signatures.remove(note); progress = true } else { stillPending.insert(RowKey(table: "note", rowID: note)) }
            }
            if stillPending == queue { break }
            queue = stillPending
            if queue.isEmpty { break }
        }
        if retryPending { try db.execute("DELETE FROM pending_row") }
        for key in queue {
            try db.execute("INSERT OR IGNORE INTO pending_row (tbl, row_id) VALUES (?, ?)", [key.table, key.rowID])
        }
        if maxDuration > storedMaxDuration {
            try db.execute("UPDATE schedule_bound SET value = ? WHERE key = 'max_duration_ms' AND value < ?", [maxDuration, maxDuration])
            storedMaxDuration = maxDuration
        }
    }

    enum Outcome { case done, pending, signPending }

    /// Consecutive changes of one row, as they were stored by an import. `isNew`: when the run began,
    /// no change stored here named the row and it was not waiting in the chunk being gathered.
    struct Run {
        struct Stored {
            let ready: ReadyChange
            /// Its row in `change`.
            let seq: Int64
        }

        let key: RowKey
        let isNew: Bool
        var changes: [Stored] = []
    }

    /// Tables whose rows `applyRow` treats by rules of their own (signatures and what they cover).
    private static let ownRules: Set<String> = ["note", "needling", "adverse_event"]

    /// A table whose new rows `applyNew` may insert from their runs alone, resolved against
    /// `SyncSchema` once: nil for a table with rules of its own or rows only ever inserted.
    struct NewRowPlan {
        let table: SyncedTable
        /// Places of `start_ms` and `end_ms` for an appointment, so the longest one is kept up to date.
        let span: (start: Int, end: Int)?

        init?(_ table: SyncedTable) {
            guard table.merge == .lastWriterWins, !Merger.ownRules.contains(table.name) else { return nil }
            self.table = table
            if table.name == "appointment", let start = table.columns.firstIndex(of: "start_ms"), let end = table.columns.firstIndex(of: "end_ms") {
                span = (start, end)
            } else {
                span = nil
            }
        }
    }

    /// Inserts a new row from its run alone, as `applyRow` would from the same changes, without
    /// reading back what was just stored: per group the largest (HLC, origin, id) wins. False, with
    /// nothing written, when the row needs the general merge: a table with rules of its own, a
    /// group missing or a deletion, or a reference to a row not here yet.
    mutating func applyNew(_ run: Run) throws -> Bool {
        guard run.isNew, run.key.rank < Self.plans.count, let plan = Self.plans[run.key.rank] else { return false }
        let table = plan.table
        var picks = [Int](repeating: -1, count: table.groups.count)
        for (index, stored) in run.changes.enumerated() {
            let change = stored.ready
            guard let group = change.groupIndex else { return false }
            if picks[group] >= 0 {
                let held = run.changes[picks[group]].ready
                if (held.hlc, held.origin, held.id) > (change.hlc, change.origin, change.id) { continue }
            }
            picks[group] = index
        }
        guard !picks.contains(-1) else { return false }
        let statements = try statements(rank: run.key.rank)
        var row: [SQLValue] = [.text(run.key.rowID)]
        row.reserveCapacity(1 + table.columns.count + statements.localColumns)
        for pick in picks { row.append(contentsOf: run.changes[pick].ready.ordered) }
        // A reference to a row not here yet fails SQLite's own foreign-key check, which undoes the
        // insert: the row then takes the general merge and waits there. No lookup of ours repeats it.
        do {
            try insert(row, with: statements)
        } catch let error as StorageError where error.isForeignKeyViolation {
            return false
        }
        insertedNew.append(InsertedRow(key: run.key, rowid: db.lastInsertRowID))
        if let span = plan.span, case .integer(let start) = row[1 + span.start], case .integer(let end) = row[1 + span.end] {
            noteDuration(start: start, end: end)
        }
        return true
    }

    /// Inserts a row: its id, then its synced values in `table.columns` order; its local columns are set to now.
    private func insert(_ row: [SQLValue], with statements: TableStatements) throws {
        var row = row
        for _ in 0..<statements.localColumns { row.append(.integer(now)) }
        try statements.insert.run(binding: row)
    }

    /// Keeps `maxDuration` up to date with an appointment just merged.
    private mutating func noteDuration(start: Int64?, end: Int64?) {
        if let start, let end { maxDuration = max(maxDuration, end - start) }
    }

    /// Per group, the stored change with the largest (HLC, origin); values come from `fresh` when
    /// the change was just received, else from its stored text. The largest is picked here rather than
    /// by ORDER BY, which would sort every row's changes in a temporary b-tree. With `signature`, only
    /// changes stamped up to it count: the row as that signature saw it.
    func winners(_ key: RowKey, fresh: [Int64: [String: JSONValue]] = [:], asSignedBy signature: LockingSignature? = nil) throws -> [String: Winner] {
        var best: [String: (seq: Int64, hlc: Int64, origin: String, stored: String?)] = [:]
        try winnersQuery.each([key.table, key.rowID]) { row in
            let group = row.text(0), hlc = row.int(2), origin = row.text(3)
            if let signature, signature.precedes(hlc: hlc, origin: origin) { return }
            if let current = best[group], (current.hlc, current.origin) > (hlc, origin) { return }
            let seq = row.int(1)
            // Equal stamps from one origin in one group happen only in a forged file; the larger id wins everywhere alike.
            if let current = best[group], (current.hlc, current.origin) == (hlc, origin),
               try changeID(seq: current.seq) >= row.text(5) { return }
            best[group] = (seq, hlc, origin, fresh[seq] == nil ? row.text(4) : nil)
        }
        return best.mapValues { pick in
            let values = fresh[pick.seq] ?? pick.stored.flatMap { try? JSONParser.parse($0) }?.objectValue ?? [:]
            return Winner(values: values, hlc: HLC(rawValue: pick.hlc), origin: pick.origin)
        }
    }

    private func changeID(seq: Int64) throws -> String {
        try db.first("SELECT change_id FROM change WHERE seq = ?", [seq])?.string(0) ?? ""
    }

    /// The compiled statements for one table: read a row, insert one, test one exists.
    struct TableStatements {
        let select: Prepared
        let insert: Prepared
        let exists: Prepared
        /// How many local columns (set to now) the insert binds after the synced ones.
        let localColumns: Int
    }

    mutating func statements(_ table: SyncedTable) throws -> TableStatements {
        try statements(rank: SyncSchema.rank(table.name))
    }

    /// The statements of the table of that rank in `SyncSchema.tables`, compiled once per merge.
    mutating func statements(rank: Int) throws -> TableStatements {
        if let cached = tableStatements[rank] { return cached }
        let table = SyncSchema.tables[rank]
        let local = Self.localColumns(table.name)
        let columns = ["id"] + table.columns + local
        let made = TableStatements(
            select: try db.prepare("SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE id = ?"),
            insert: try db.prepare("""
                INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                """),
            exists: try db.prepare("SELECT 1 FROM \(table.name) WHERE id = ?"),
            localColumns: local.count)
        tableStatements[rank] = made
        return made
    }

    mutating func current(_ table: SyncedTable, id: String) throws -> [String: JSONValue]? {
        var values: [String: JSONValue]?
        try statements(table).select.each([id]) { row in
            var found: [String: JSONValue] = [:]
            for (index, column) in table.columns.enumerated() { found[column] = SyncValues.json(row.value(Int32(index))) }
            values = found
        }
        return values
    }

    /// True when a row of the table exists (remembered once seen).
    mutating func exists(_ tableName: String, id: String) throws -> Bool {
        let rank = SyncSchema.rank(tableName)
        guard rank < known.count else { return false }
        if known[rank].contains(id) { return true }
        guard try statements(rank: rank).exists.exists([id]) else { return false }
        remember(rank, id)
        return true
    }

    private mutating func remember(_ rank: Int, _ id: String) {
        guard rank < known.count else { return }
        if knownCount >= 200_000 { forgetKnown() }
        if known[rank].insert(id).inserted { knownCount += 1 }
    }

    private mutating func forgetKnown() {
        for rank in known.indices { known[rank].removeAll() }
        knownCount = 0
    }

    /// Deletes rows; anything remembered as existing may be gone with them.
    private mutating func delete(_ sql: String, _ arguments: [SQLBindable]) throws {
        try db.execute(sql, arguments)
        forgetKnown()
    }

    mutating func applyRow(_ key: RowKey, fresh: [Int64: [String: JSONValue]] = [:]) throws -> Outcome {
        guard let table = SyncSchema.table(key.table) else { return .done }
        var winners = try winners(key, fresh: fresh)
        var existing = try current(table, id: key.rowID)
        var lock: LockingSignature?
        if table.name == "note" {
            lock = try SignedNotes.lockingSignature(db, noteID: key.rowID)
            if let lock, lock.signs { winners = try lockedWinners(key, winners, fresh: fresh, lock: lock) }
        } else if SignedNotes.coveredRows.contains(where: { $0.table == table.name }),
                  let noteID = (existing?["note_id"] ?? winners["details"]?.values["note_id"])?.stringValue,
                  let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs {
            // A row of a signed note: only what its signature covers, as the signature saw it.
            if existing == nil, !(signature.covered[table.name]?.contains(key.rowID) ?? false) {
                try recordEditsAfterSign(noteID: noteID, signature: signature)
                return .done
            }
            if existing != nil, try SignedNotes.isSigned(db, noteID: noteID) {
                try recordEditsAfterSign(noteID: noteID, signature: signature)
                return .done
            }
            let asSigned = try self.winners(key, fresh: fresh, asSignedBy: signature)
            if !asSigned.isEmpty { winners = asSigned }
        }
        if winners["_deleted"] != nil {
            if existing != nil { try delete("DELETE FROM \(table.name) WHERE id = ?", [key.rowID]) }
            return .done
        }
        var target = [String: JSONValue](minimumCapacity: table.columns.count)
        for group in table.groups {
            guard let winner = winners[group.name] else {
                if existing == nil { return .pending }
                continue
            }
            for column in group.columns { target[column] = winner.values[column] ?? .null }
        }
        var signTarget = false
        if table.name == "note" {
            if let signed = existing, signed["status"]?.stringValue == "signed" {
                // Nothing here signs it (it was signed while capture was off): no change applies to it.
                guard let lock, lock.signs else { return .done }
                let columns = table.group(named: "signature") ?? []
                if columns.allSatisfy({ signed[$0] == (lock.values[$0] ?? .null) }) {
                    try recordEditsAfterSign(noteID: key.rowID, signature: lock)
                    return .done
                }
                // Another site signed the same note first, while this one was offline: the first signature
                // locks it everywhere, so reopen, then take its snapshot (this one's is an edit after sign).
                try db.execute("UPDATE note SET status = 'draft' WHERE id = ?", [key.rowID])
                existing = try current(table, id: key.rowID)
            }
            if target["status"]?.stringValue == "signed" {
                signTarget = true
                if let snapshot = target["signed_content"]?.stringValue.flatMap({ try? JSONParser.parse($0) })?.objectValue {
                    for column in SyncSchema.noteContentGroups.compactMap({ table.group(named: $0) }).flatMap({ $0 }) {
                        target[column] = snapshot[column] ?? .null
                    }
                }
                for column in table.group(named: "signature") ?? [] {
                    target[column] = column == "status" ? .string("draft") : (column == "acknowledged" ? .string("") : .null)
                }
            }
        }
        if existing == nil {
            if try lacksReference(table, in: table.columns, { target[$0] }) { return .pending }
            try insert([.text(key.rowID)] + table.columns.map { SyncValues.sql(target[$0] ?? .null) }, with: try statements(rank: key.rank))
        } else if let existing {
            let changed = table.columns.filter { (target[$0] ?? existing[$0]) != existing[$0] && target[$0] != nil }
            // An update may point the row at one not here yet (a room made at a third site, relayed later
            // in the file or in a later file): the row waits whole, as a new row does, instead of
            // failing the foreign key and with it the whole import.
            if try lacksReference(table, in: changed, { target[$0] }) { return .pending }
            if !changed.isEmpty {
                let assignments = changed.map { "\($0) = ?" }.joined(separator: ", ")
                try db.execute("UPDATE \(table.name) SET \(assignments) WHERE id = ?", changed.map { SyncValues.sql(target[$0] ?? .null) } + [key.rowID])
            }
        }
        if table.name == "appointment" { noteDuration(start: target["start_ms"]?.integerValue, end: target["end_ms"]?.integerValue) }
        return signTarget ? .signPending : .done
    }

    /// True when one of `columns`, read through `value`, names a row that is not here (yet): the row must wait.
    private mutating func lacksReference(_ table: SyncedTable, in columns: [String], _ value: (String) -> JSONValue?) throws -> Bool {
        for reference in table.references where columns.contains(reference.column) {
            if let id = value(reference.column)?.stringValue, try !exists(reference.table, id: id) { return true }
        }
        return false
    }

    /// Columns that exist only locally (not synced) and need a value on insert: the time it arrived.
    static func localColumns(_ table: String) -> [String] {
        ["appointment", "precaution", "note"].contains(table) ? ["updated_at"] : []
    }

    /// The winners of a note its locking signature signs: that signature, and the header as it saw it;
    /// a deletion never applies to it. (Its content comes from the signature's snapshot.)
    private func lockedWinners(_ key: RowKey, _ winners: [String: Winner], fresh: [Int64: [String: JSONValue]],
                               lock: LockingSignature) throws -> [String: Winner] {
        var locked = winners
        locked["signature"] = Winner(values: lock.values, hlc: HLC(rawValue: lock.hlc), origin: lock.origin)
        if let header = try self.winners(key, fresh: fresh, asSignedBy: lock)["header"] { locked["header"] = header }
        locked.removeValue(forKey: "_deleted")
        return locked
    }

    /// Locks a note whose locking signature is here, once every row its snapshot names has arrived:
    /// rows it does not cover go, the ones it covers take the values it saw.
    mutating func finishSignature(noteID: String) throws -> Bool {
        guard let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs,
              signature.values["signed_content"]?.stringValue.flatMap({ try? JSONParser.parse($0) }) != nil else { return true }
        let covered = signature.covered
        let draft = try !SignedNotes.isSigned(db, noteID: noteID)
        for (table, _) in SignedNotes.coveredRows {
            let wanted = covered[table] ?? []
            let present = Set(try db.query("SELECT id FROM \(table) WHERE note_id = ?", [noteID]).map { $0.string(0) })
            guard wanted.isSubset(of: present) else { return false }
            for extra in present.subtracting(wanted) {
                try delete("DELETE FROM \(table) WHERE id = ?", [extra])
            }
            if draft {
                for row in wanted.sorted() { try restore(RowKey(table: table, rowID: row), asSignedBy: signature) }
            }
        }
        let columns = SyncSchema.table("note")?.group(named: "signature") ?? []
        try db.execute("UPDATE note SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ? AND status = 'draft'",
                       columns.map { SyncValues.sql(signature.values[$0] ?? .null) } + [noteID])
        try recordEditsAfterSign(noteID: noteID, signature: signature)
        return true
    }

    /// Puts a row a signature covers back as the signature saw it: a change stamped later may have
    /// reached it while its note was still a draft here.
    private mutating func restore(_ key: RowKey, asSignedBy signature: LockingSignature) throws {
        guard let table = SyncSchema.table(key.table), let existing = try current(table, id: key.rowID),
              let winner = try winners(key, asSignedBy: signature)["details"] else { return }
        let changed = table.columns.filter { (winner.values[$0] ?? .null) != existing[$0] }
        guard !changed.isEmpty else { return }
        try db.execute("UPDATE \(table.name) SET \(changed.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                       changed.map { SyncValues.sql(winner.values[$0] ?? .null) } + [key.rowID])
    }

    /// Counts, once each, the changes this merge stored that a note's signature did not see: they
    /// never apply, and `ConflictBook` lists each as an `edit-after-sign` conflict, derived from the
    /// changes themselves so every site lists the same.
    mutating func recordEditsAfterSign(noteID: String, signature: LockingSignature) throws {
        guard signature.signs else { return }
        for late in try SignedNotes.lateChanges(db, noteID: noteID, signature: signature) where late.seq > baseline {
            if countedLate.insert(late.changeID).inserted { newConflicts += 1 }
        }
    }

    /// Records a conflict under an id derived from what is involved, so every site names it alike.
    /// `row`: when both sides are changes to one row, that row, so they can be found again by index.
    mutating func recordConflict(kind: String, table: String, a: String, b: String, row: String? = nil) throws {
        let ordered = (min(a, b), max(a, b))
        let id = SHA256Hex.of("\(kind)|\(ordered.0)|\(ordered.1)")
        // Sides of one kind are stored smaller id first; a note on a cancelled booking keeps its
        // two different things apart instead: the booking is side A, the note side B.
        let sides = kind == "note-on-cancelled" ? (a, b) : ordered
        try db.execute("""
            INSERT OR IGNORE INTO conflict (id, kind, tbl, a_ref, b_ref, a_json, b_json, detected_at, row_id) VALUES (?, ?, ?, ?, ?, '', '', ?, ?)
            """, [id, kind, table, sides.0, sides.1, now, row])
        if db.changes > 0 { newConflicts += 1 }
    }
}
