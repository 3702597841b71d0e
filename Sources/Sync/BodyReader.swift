import Foundation
import Models
import Storage

/// Reads one change line of a log's body on the reading thread, into what the writer stores.
enum ReadChange {
    /// Reads one line: by position when it is laid out canonically with plain strings, else by the
    /// general parse. A line is accepted only exactly as clinic writes it, whether or not its change
    /// is already stored here: anything else is refused where it is.
    static func read(_ bytes: ArraySlice<UInt8>, line number: Int) throws -> ReadyChange {
        try bytes.withUnsafeBufferPointer { line in
            // The scan accepts only the canonical layout (`ScannedLine`), so what it reads needs no second look.
            guard let scanned = ScannedLine.scan(line), let layout = GroupLayout.of(table: scanned.table, group: scanned.group),
                  let ordered = scanned.ordered(in: line, columns: layout.columns),
                  ChangeLine.fieldsValid(origin: scanned.origin, hlc: scanned.hlc, row: scanned.row), scanned.idMatches(in: line) else {
                // Not canonical with plain strings, or not a valid change: the general parse says which.
                return try general(bytes, line: number)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: line[scanned.valuesRange]), as: UTF8.self)
            return ReadyChange(id: scanned.claimedID(in: line), origin: scanned.origin, hlc: HLC(rawValue: scanned.hlc), table: scanned.table,
                               rowID: scanned.row, group: scanned.group, previous: scanned.previous, values: text, groupIndex: layout.index,
                               ordered: ordered)
        }
    }

    /// The general parse of a line that may hold escapes or decimals. It must be the canonical JSON
    /// of its change (re-serialised and compared byte for byte), and its id that of its content.
    static func general(_ bytes: ArraySlice<UInt8>, line number: Int) throws -> ReadyChange {
        let value: JSONValue
        do { value = try JSONParser.parse(Array(bytes)) } catch { throw SyncError.badFile("a change is not valid JSON", line: number) }
        let parsed = try ChangeLine.parse(value, line: number)
        guard ChangeLine.isCanonical(bytes, parsed.change, claimedID: parsed.claimedID) else {
            throw SyncError.badFile("a change is not written as clinic writes it (canonical JSON)", line: number)
        }
        guard ChangeLine.idMatches(bytes, claimedID: parsed.claimedID) else {
            throw SyncError.badFile("a change was edited (its id does not match its content)", line: number)
        }
        return ReadyChange(parsed.change, id: parsed.claimedID)
    }
}

/// A change checked for shape, group and id, ready to store, with what the writer binds worked out
/// where it was read: the writer, busy in SQLite, only binds. A class, so runs and chunks hold it by
/// one reference.
final class ReadyChange: Sendable {
    /// The id the file claims for it, checked against its content.
    let id: String
    let origin: String
    let hlc: HLC
    let table: String
    let rowID: String
    let group: String
    let previous: String?
    /// Its values as canonical text (`change.vals`).
    let values: String
    /// The place of its group in its table's groups; nil for a deletion.
    let groupIndex: Int?
    /// Its values in the group's column order, as SQLite takes them.
    let ordered: [SQLValue]
    /// Its row of `change`, in `ChangeInsert.run(_:)`'s order.
    let changeRow: [SQLValue]

    /// Where it stands in last-writer-wins order (`FieldGroupWinner`).
    var stamp: ChangeStamp { ChangeStamp(hlc: hlc, origin: origin, changeID: id) }

    /// `ordered`: the values in the order of the group's columns; `values`: the same as canonical text.
    init(id: String, origin: String, hlc: HLC, table: String, rowID: String, group: String, previous: String?, values: String,
         groupIndex: Int?, ordered: [SQLValue]) {
        self.id = id
        self.origin = origin
        self.hlc = hlc
        self.table = table
        self.rowID = rowID
        self.group = group
        self.previous = previous
        self.values = values
        self.groupIndex = groupIndex
        self.ordered = ordered
        changeRow = ChangeInsert.row(id: id, origin: origin, hlc: hlc.rawValue, table: table, rowID: rowID, group: group, values: values,
                                     previous: previous)
    }

    /// A parsed change (checked by `ChangeLine.parse`), its values made canonical here.
    convenience init(_ change: Change, id: String) {
        self.init(id: id, origin: change.origin, hlc: change.hlc, table: change.table, rowID: change.rowID, group: change.group,
                  previous: change.previous, values: JSONValue.object(change.values).canonical,
                  groupIndex: GroupLayout.of(table: change.table, group: change.group)?.index,
                  ordered: ChangeLine.ordered(change).map(SyncValues.sql))
    }

    /// Its values by column, for the general merge.
    var valuesByColumn: [String: JSONValue] {
        guard let groupIndex, let columns = SyncSchema.table(table)?.groups[groupIndex].columns else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(columns, ordered.map(SyncValues.json)))
    }

    /// The change itself (a quarantined change is kept as its line).
    var change: Change {
        Change(origin: origin, hlc: hlc, table: table, rowID: rowID, group: group, values: valuesByColumn, previous: previous)
    }
}

/// How a group's values are laid out, for reading them by position: the group's place among its
/// table's groups (nil for a deletion) and its columns as UTF-8, in order. Worked out once per process.
struct GroupLayout: Sendable {
    let index: Int?
    let columns: [[UInt8]]

    /// The layout of a synced table's group, or nil when the table or group is unknown (or a
    /// deletion of an insert-only row): the general parse then says what is wrong.
    static func of(table: String, group: String) -> GroupLayout? {
        guard let groups = layouts[table] else { return nil }
        return groups.first { $0.name == group }?.layout
    }

    private static let layouts: [String: [(name: String, layout: GroupLayout)]] = Dictionary(uniqueKeysWithValues: SyncSchema.tables.map { table in
        var groups = table.groups.enumerated().map { index, group in
            (group.name, GroupLayout(index: index, columns: group.columns.map { Array($0.utf8) }))
        }
        if table.merge == .lastWriterWins { groups.append(("_deleted", GroupLayout(index: nil, columns: []))) }
        return (table.name, groups)
    })
}

/// The reading half of an import, on a thread of its own: reads the body line by line, opens its
/// encrypted chunks, hashes it, and reads every change (`ReadChange`) a few thousand lines ahead of
/// the writer, which then spends its time in SQLite. Lines are handed over in file order, in
/// batches, and at most `depth` batches wait, so memory stays bounded however large the file.
/// Whatever goes wrong while reading travels as an item at the place it happened, so the writer
/// raises it exactly where it would have if it had read the file itself.
final class BodyReader: @unchecked Sendable {
    enum Item: Sendable {
        case change(ReadyChange)
        /// The body ended at the trailer: the SHA-256 of its change lines.
        case end(sha256: String)
        case failure(any Error)
    }

    static let batchSize = 2_048
    static let depth = 4

    // Reading state: once started, touched only by the reading thread.
    private let reader: LineReader
    private var opener: ChunkOpener?
    private var hash = SHA256Stream()
    private var lineNumber: Int

    // The hand-over, only under `condition`.
    private let condition = NSCondition()
    private var waiting: [[Item]] = []
    /// Batches the writer is done with, freed here: what this thread allocated, it frees.
    private var spent: [[Item]] = []
    private var stopped = false
    private var finished = false

    /// Starts reading on a thread of its own: `reader` has read the header line; `opener` opens the
    /// chunks of an encrypted body. Call `stop()` once done.
    init(reader: LineReader, opener: ChunkOpener?) {
        self.reader = reader
        self.opener = opener
        lineNumber = reader.lineNumber
        let thread = Thread { [self] in produce() }
        thread.stackSize = 8 << 20  // the general JSON parse recurses into nested values
        thread.start()
    }

    /// The next lines in file order, or nil once everything read has been taken.
    func next() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty, !finished { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let batch = waiting.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Gives a batch the writer is done with back to the reading thread, which frees it.
    func recycle(_ batch: consuming [Item]) {
        condition.lock()
        defer { condition.unlock() }
        spent.append(batch)
    }

    /// Tells the reading thread to stop (the writer is done, or gave up) and waits until it has.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    /// Queues a batch for the writer, waiting while `depth` batches wait; false once stopped. `batch`
    /// becomes an empty array for the next lines, made from a batch the writer gave back: its lines
    /// are freed here, outside the lock, and its storage is used again. (Making a new one each time
    /// asks malloc for a large block, which first sweeps every small block just freed.)
    private func hand(_ batch: inout [Item]) -> Bool {
        var freed: [[Item]] = []
        condition.lock()
        while waiting.count >= Self.depth, !stopped { condition.wait() }
        swap(&freed, &spent)
        let open = !stopped
        if open {
            waiting.append(batch)
            condition.broadcast()
        }
        condition.unlock()
        batch = freed.popLast() ?? []
        batch.removeAll(keepingCapacity: true)
        batch.reserveCapacity(Self.batchSize)
        freed.removeAll()
        return open
    }

    private func produce() {
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        var open = true
        func emit(_ item: Item) -> Bool {
            batch.append(item)
            guard batch.count == Self.batchSize else { return true }
            open = hand(&batch)
            return open
        }
        do {
            if let end = try read(emit) { _ = emit(end) }
        } catch {
            _ = emit(.failure(error))
        }
        if open, !batch.isEmpty { _ = hand(&batch) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Reads the body up to the trailer; the end item, or nil when the writer stopped first.
    private func read(_ emit: (Item) -> Bool) throws -> Item? {
        var sawTrailer = false
        while let line = try reader.next() {
            guard !sawTrailer else { throw SyncError.badFile("text after the trailer", line: reader.lineNumber) }
            guard line.endsWithNewline else { throw SyncError.badFile("the file is truncated", line: reader.lineNumber) }
            if line.bytes.starts(with: Importer.trailerPrefix) {
                sawTrailer = true
                continue
            }
            if opener != nil {
                guard let plain = opener?.open(line.bytes) else {
                    throw SyncError.badFile("an encrypted chunk fails authentication", line: reader.lineNumber)
                }
                var start = plain.startIndex
                while let newline = plain[start...].firstIndex(of: 0x0A) {
                    guard emit(.change(try change(plain[start..<newline]))) else { return nil }
                    start = newline + 1
                }
                guard start == plain.endIndex else { throw SyncError.badFile("an encrypted chunk ends mid-line", line: reader.lineNumber) }
            } else {
                guard emit(.change(try change(line.bytes))) else { return nil }
            }
        }
        guard sawTrailer else { throw SyncError.badFile("the file is truncated (no trailer)") }
        if let opener, opener.index != opener.total { throw SyncError.badFile("encrypted chunks are missing") }
        return .end(sha256: hash.finalizeHex())
    }

    private func change(_ bytes: ArraySlice<UInt8>) throws -> ReadyChange {
        lineNumber += 1
        hash.update(bytes)
        hash.update(Self.newline)
        return try ReadChange.read(bytes, line: lineNumber)
    }

    static let newline: ArraySlice<UInt8> = [0x0A]
}
