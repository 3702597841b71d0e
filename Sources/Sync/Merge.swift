import Models
import Storage

/// Brings domain rows in line with the changes stored for them. It loads values and applies what
/// the rules answer: per field group the winner is `FieldGroupWinner`'s; a signed note is kept by
/// `SignedNoteMerge`; conflicts are named by `ConflictIdentity`. Rows wait (pending) until every
/// group and every referenced row is here.
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
    private let groupChanges: ChangeLogStore.GroupChanges
    private let pendingRows: PendingRowStore
    private let scheduleBound: ScheduleBoundStore
    private let conflicts: ConflictStore
    /// The last change stored before this merge began: conflicts are counted for changes after it only.
    private let baseline: Int64
    /// The late changes to signed notes already counted as new conflicts (a note may be merged twice).
    private var countedLate: Set<String> = []
    private var rowStores = [SyncedRowStore?](repeating: nil, count: SyncSchema.tables.count)

    init(db: Database, now: Int64) throws {
        self.db = db
        self.now = now
        scheduleBound = ScheduleBoundStore(db)
        pendingRows = PendingRowStore(db)
        conflicts = ConflictStore(db)
        maxDuration = try scheduleBound.maxDuration()
        storedMaxDuration = maxDuration
        baseline = try ChangeLogStore(db).lastSeq()
        groupChanges = try ChangeLogStore.GroupChanges(db)
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
            for row in try pendingRows.all() { queue.insert(RowKey(table: row.table, rowID: row.rowID)) }
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
                if try finishSignature(noteID: note) {
                    signatures.remove(note)
                    progress = true
                } else {
                    stillPending.insert(RowKey(table: SyncSchema.signedNoteTable.name, rowID: note))
                }
            }
            if stillPending == queue { break }
            queue = stillPending
            if queue.isEmpty { break }
        }
        if retryPending { try pendingRows.removeAll() }
        for key in queue { try pendingRows.add(table: key.table, rowID: key.rowID) }
        if maxDuration > storedMaxDuration {
            try scheduleBound.raiseMaxDuration(to: maxDuration)
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

    /// A table whose new rows `applyNew` may insert from their runs alone, resolved against
    /// `SyncSchema` once: nil for a table with rules of its own or rows only ever inserted.
    struct NewRowPlan {
        let table: SyncedTable
        /// Places of the span's start and end columns (`SyncedTable.span`), so the longest is kept up to date.
        let span: (start: Int, end: Int)?

        init?(_ table: SyncedTable) {
            // Rows a signature freezes or covers follow rules of their own (`applyRow`).
            guard table.merge == .lastWriterWins, table.signing == .unaffected else { return nil }
            self.table = table
            if let columns = table.span, let start = table.columns.firstIndex(of: columns.start), let end = table.columns.firstIndex(of: columns.end) {
                span = (start, end)
            } else {
                span = nil
            }
        }
    }

    /// Inserts a new row from its run alone, as `applyRow` would from the same changes, without
    /// reading back what was just stored: per group `FieldGroupWinner`'s winner. False, with
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
                guard FieldGroupWinner.wins(change.stamp, over: held.stamp) else { continue }
            }
            picks[group] = index
        }
        guard !picks.contains(-1) else { return false }
        let rows = try rowStore(rank: run.key.rank)
        var row: [SQLValue] = [.text(run.key.rowID)]
        row.reserveCapacity(1 + table.columns.count + table.localColumns.count)
        for pick in picks { row.append(contentsOf: run.changes[pick].ready.ordered) }
        // On PostgreSQL a failed statement aborts the whole transaction: the references are looked up first.
        if db.engine == .postgres, try lacksReference(table, in: table.columns, { column in
            table.columns.firstIndex(of: column).flatMap { SyncValues.json(row[1 + $0]) }
        }) {
            return false
        }
        // A reference to a row not here yet fails SQLite's own foreign-key check, which undoes the
        // insert: the row then takes the general merge and waits there. No lookup of ours repeats it.
        let rowid: Int64
        do {
            rowid = try rows.insert(row, now: now)
        } catch let error as StorageError where error.isForeignKeyViolation {
            return false
        }
        insertedNew.append(InsertedRow(key: run.key, rowid: rowid))
        if let span = plan.span, case .integer(let start) = row[1 + span.start], case .integer(let end) = row[1 + span.end] {
            noteDuration(start: start, end: end)
        }
        return true
    }

    /// Keeps `maxDuration` up to date with an appointment just merged.
    private mutating func noteDuration(start: Int64?, end: Int64?) {
        if let start, let end { maxDuration = max(maxDuration, end - start) }
    }

    /// Per group, the stored change `FieldGroupWinner` picks; values come from `fresh` when the change
    /// was just received, else from its stored text. The winner is picked here rather than by ORDER BY,
    /// which would sort every row's changes in a temporary b-tree. With `signature`, only changes
    /// stamped up to it count: the row as that signature saw it.
    func winners(_ key: RowKey, fresh: [Int64: [String: JSONValue]] = [:], asSignedBy signature: LockingSignature? = nil) throws -> [String: Winner] {
        var best: [String: (seq: Int64, stamp: ChangeStamp, stored: String?)] = [:]
        try groupChanges.each(table: key.table, row: key.rowID) { row in
            let group = row.text(0), hlc = row.int(2), origin = row.text(3)
            if let signature, signature.precedes(hlc: hlc, origin: origin) { return }
            let stamp = ChangeStamp(hlc: HLC(rawValue: hlc), origin: origin, changeID: row.text(5))
            if let held = best[group], !FieldGroupWinner.wins(stamp, over: held.stamp) { return }
            let seq = row.int(1)
            best[group] = (seq, stamp, fresh[seq] == nil ? row.text(4) : nil)
        }
        return best.mapValues { pick in
            let values = fresh[pick.seq] ?? pick.stored.flatMap { try? JSONParser.parse($0) }?.objectValue ?? [:]
            return Winner(values: values, hlc: pick.stamp.hlc, origin: pick.stamp.origin)
        }
    }

    /// The row store of the table of that rank in `SyncSchema.tables`, its statements compiled once per merge.
    mutating func rowStore(rank: Int) throws -> SyncedRowStore {
        if let cached = rowStores[rank] { return cached }
        let made = try SyncedRowStore(db, table: SyncSchema.tables[rank])
        rowStores[rank] = made
        return made
    }

    mutating func rowStore(_ table: SyncedTable) throws -> SyncedRowStore {
        try rowStore(rank: SyncSchema.rank(table.name))
    }

    mutating func current(_ table: SyncedTable, id: String) throws -> [String: JSONValue]? {
        try rowStore(table).values(id: id)
    }

    /// True when a row of the table exists (remembered once seen).
    mutating func exists(_ tableName: String, id: String) throws -> Bool {
        let rank = SyncSchema.rank(tableName)
        guard rank < known.count else { return false }
        if known[rank].contains(id) { return true }
        guard try rowStore(rank: rank).exists(id: id) else { return false }
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

    /// Deletes a row; anything remembered as existing may be gone with it.
    private mutating func delete(_ table: SyncedTable, id: String) throws {
        try rowStore(table).delete(id: id)
        forgetKnown()
    }

    /// The id of the site with that code, when its row is here.
    private func siteID(code: String) throws -> String? {
        try SiteRepository(db).siteID(code: code)
    }

    /// Brings one row in line with its stored changes.
    mutating func applyRow(_ key: RowKey, fresh: [Int64: [String: JSONValue]] = [:]) throws -> Outcome {
        guard let table = SyncSchema.table(key.table) else { return .done }
        var winners = try winners(key, fresh: fresh)
        var existing = try current(table, id: key.rowID)
        var lock: LockingSignature?
        switch table.signing {
        case .signedNote:
            lock = try SignedNotes.lockingSignature(db, noteID: key.rowID)
            if let lock, lock.signs {
                let signature = Winner(values: lock.values, hlc: HLC(rawValue: lock.hlc), origin: lock.origin)
                winners = SignedNoteMerge.lockedWinners(winners, signature: signature,
                                                        headerAsSigned: try self.winners(key, fresh: fresh, asSignedBy: lock)["header"])
            }
        case .coveredBySignature:
            guard let noteID = (existing?["note_id"] ?? winners["details"]?.values["note_id"])?.stringValue,
                  let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs else { break }
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
        case .unaffected:
            break
        }
        if winners[SyncSchema.deletionGroup] != nil {
            if existing != nil { try delete(table, id: key.rowID) }
            return .done
        }
        var target = [String: JSONValue](minimumCapacity: table.columns.count)
        for group in table.groups {
            guard let winner = winners[group.name] else {
                if let fromOrigin = table.siteFromOrigin, fromOrigin.group == group.name, let first = winners[table.groups[0].name] {
                    // A row from a release before this group existed: it belongs to the site that made it.
                    guard let site = try siteID(code: first.origin) else { return .pending }
                    if existing == nil || existing?[fromOrigin.column] == .null { target[fromOrigin.column] = .string(site) }
                    continue
                }
                if existing == nil { return .pending }
                continue
            }
            for column in group.columns { target[column] = winner.values[column] ?? .null }
        }
        var signTarget = false
        if table.signing == .signedNote {
            if let signed = existing, signed["status"]?.stringValue == "signed" {
                // Nothing here signs it (it was signed while capture was off): no change applies to it.
                guard let lock, lock.signs else { return .done }
                let columns = table.group(named: SyncSchema.noteSignatureGroup) ?? []
                if columns.allSatisfy({ signed[$0] == (lock.values[$0] ?? .null) }) {
                    try recordEditsAfterSign(noteID: key.rowID, signature: lock)
                    return .done
                }
                // Another site signed the same note first, while this one was offline: the first signature
                // locks it everywhere, so reopen, then take its snapshot (this one's is an edit after sign).
                try SyncedRowStore.reopen(db, noteID: key.rowID)
                existing = try current(table, id: key.rowID)
            }
            (target, signTarget) = SignedNoteMerge.noteRow(target, in: table)
        }
        if existing == nil {
            if try lacksReference(table, in: table.columns, { target[$0] }) { return .pending }
            try rowStore(rank: key.rank).insert([.text(key.rowID)] + table.columns.map { SyncValues.sql(target[$0] ?? .null) }, now: now)
        } else if let existing {
            let changed = table.columns.filter { (target[$0] ?? existing[$0]) != existing[$0] && target[$0] != nil }
            // An update may point the row at one not here yet (a room made at a third site, relayed later
            // in the file or in a later file): the row waits whole, as a new row does, instead of
            // failing the foreign key and with it the whole import.
            if try lacksReference(table, in: changed, { target[$0] }) { return .pending }
            try rowStore(rank: key.rank).update(id: key.rowID, columns: changed, values: changed.map { SyncValues.sql(target[$0] ?? .null) })
        }
        if let span = table.span { noteDuration(start: target[span.start]?.integerValue, end: target[span.end]?.integerValue) }
        return signTarget ? .signPending : .done
    }

    /// True when one of `columns`, read through `value`, names a row that is not here (yet): the row must wait.
    private mutating func lacksReference(_ table: SyncedTable, in columns: [String], _ value: (String) -> JSONValue?) throws -> Bool {
        for reference in table.references where columns.contains(reference.column) {
            if let id = value(reference.column)?.stringValue, try !exists(reference.table, id: id) { return true }
        }
        return false
    }

    /// Locks a note whose locking signature is here, once every row its snapshot names has arrived:
    /// rows it does not cover go, the ones it covers take the values it saw.
    mutating func finishSignature(noteID: String) throws -> Bool {
        guard let signature = try SignedNotes.lockingSignature(db, noteID: noteID), signature.signs,
              signature.values["signed_content"]?.stringValue.flatMap({ try? JSONParser.parse($0) }) != nil else { return true }
        let covered = signature.covered
        let draft = try !SignedNotes.isSigned(db, noteID: noteID)
        for table in SyncSchema.signatureCoveredTables {
            let wanted = covered[table.name] ?? []
            let present = try rowStore(table).ids(ofNote: noteID)
            guard wanted.isSubset(of: present) else { return false }
            for extra in present.subtracting(wanted) { try delete(table, id: extra) }
            if draft {
                for row in wanted.sorted() { try restore(RowKey(table: table.name, rowID: row), asSignedBy: signature) }
            }
        }
        let noteTable = SyncSchema.signedNoteTable
        let columns = noteTable.group(named: SyncSchema.noteSignatureGroup) ?? []
        try rowStore(noteTable).updateDraft(id: noteID, columns: columns, values: columns.map { SyncValues.sql(signature.values[$0] ?? .null) })
        try recordEditsAfterSign(noteID: noteID, signature: signature)
        return true
    }

    /// Puts a row a signature covers back as the signature saw it: a change stamped later may have
    /// reached it while its note was still a draft here.
    private mutating func restore(_ key: RowKey, asSignedBy signature: LockingSignature) throws {
        guard let table = SyncSchema.table(key.table), let existing = try current(table, id: key.rowID),
              let winner = try winners(key, asSignedBy: signature)["details"] else { return }
        let changed = table.columns.filter { (winner.values[$0] ?? .null) != existing[$0] }
        try rowStore(table).update(id: key.rowID, columns: changed, values: changed.map { SyncValues.sql(winner.values[$0] ?? .null) })
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

    /// Records a conflict under the id `ConflictIdentity` derives from what is involved, so every site
    /// names it alike. `row`: when both sides are changes to one row, that row, so they can be found again by index.
    mutating func recordConflict(kind: String, table: String, a: String, b: String, row: String? = nil) throws {
        let identity = ConflictIdentity.between(kind: kind, a, b)
        if try conflicts.record(id: identity.id, kind: kind, table: table, a: identity.a, b: identity.b, row: row, at: now) { newConflicts += 1 }
        // PostgreSQL: both bookings marked as known, so the deferred exclusion constraints let them be.
        if kind == "double-booking" { try conflicts.markDoubleBooking(a, b) }
    }
}
