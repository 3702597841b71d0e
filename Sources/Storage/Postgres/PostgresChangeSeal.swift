import Foundation
import Models

/// Seals a PostgreSQL transaction's staged changes just before COMMIT, in commit order
/// (docs/postgresql-design.md §2, option B), with `ChangeCapture`'s own last-write filter, canonical
/// values and `Change.id`: nothing of the seal is written twice.
///
/// Three round trips, then COMMIT:
/// 1. `DELETE … RETURNING` the transaction's own staged rows (no lock held);
/// 2. `clinic.commit_tick(now)`, which takes the commit lock and ticks the clock;
/// 3. one statement inserting every change (the commit trigger then drops the transaction's marker).
///
/// The lock is held from the tick until the COMMIT is visible, so whoever ticks next sees every earlier
/// stamp committed: per origin, the changes are always a prefix in HLC order, which is what export
/// (`hlc > acknowledged`) relies on. The origin is the local site's code, passed in by the caller (the
/// backend reads it once per connection from `site`).
public enum PostgresChangeSeal {
    /// What one sealed transaction did.
    public struct Sealed: Sendable, Equatable {
        /// The transaction's stamp, nil when it changed nothing synced (no tick, no lock).
        public var hlc: HLC?
        /// The changes stored.
        public var changes: Int
        /// How long the commit lock was held, from the tick's answer to COMMIT's (0 without a tick).
        public var lockHeldNanoseconds: UInt64
    }

    /// Runs `body` in a transaction on `link`, then seals what it staged and commits.
    /// `tick` and `afterTick` are for tests: the tick function to call (a lock-free one for the negative
    /// control), and a hook run between the tick and COMMIT (to make later stamps commit first).
    @discardableResult
    public static func transaction(link: PostgresLink, origin: String, now: @escaping () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                                   _ body: (PostgresLink) throws -> Void) throws -> Sealed {
        try transaction(link: link, origin: origin, now: now, tick: "clinic.commit_tick", afterTick: {}, body)
    }

    static func transaction(link: PostgresLink, origin: String, now: () -> Int64, tick: String, afterTick: () -> Void,
                            _ body: (PostgresLink) throws -> Void) throws -> Sealed {
        var sealed = Sealed(hlc: nil, changes: 0, lockHeldNanoseconds: 0)
        var ticked: UInt64 = 0
        try link.transaction { link in
            try body(link)
            sealed = try seal(link: link, origin: origin, now: now(), tick: tick, afterTick: afterTick)
            if sealed.hlc != nil { ticked = DispatchTime.now().uptimeNanoseconds }
        }
        if ticked > 0 { sealed.lockHeldNanoseconds = DispatchTime.now().uptimeNanoseconds - ticked }
        return sealed
    }

    /// Seals the open transaction's staged changes (the caller commits right after): stamps them with
    /// one tick of the clock under the commit lock and stores them in `clinic.change`.
    public static func seal(link: PostgresLink, origin: String, now: Int64) throws -> Sealed {
        try seal(link: link, origin: origin, now: now, tick: "clinic.commit_tick", afterTick: {})
    }

    static func seal(link: PostgresLink, origin: String, now: Int64, tick: String, afterTick: () -> Void) throws -> Sealed {
        // 1. The transaction's own staged rows, taken out (before the lock).
        let rows = try link.query("""
            WITH taken AS (DELETE FROM clinic.change_staging WHERE txid = txid_current() RETURNING seq, tbl, row_id, grp, vals, prev)
            SELECT tbl, row_id, grp, vals, prev FROM taken ORDER BY seq
            """)
        guard !rows.isEmpty else { return Sealed(hlc: nil, changes: 0, lockHeldNanoseconds: 0) }
        let entries = try rows.map { row in
            CaptureBuffer.Entry(table: try text(row[0]), rowID: try text(row[1]), group: try text(row[2]), values: try text(row[3]),
                                previous: row[4] == .null ? nil : try text(row[4]))
        }

        // 2. The stamp, under the commit lock (held until the transaction ends).
        guard let stamp = try link.query("SELECT \(tick)($1)", [.integer(now)]).first?.first, case .integer(let raw) = stamp else {
            throw StorageError(.postgres, resultCode: 0, message: "the clock tick gave no stamp")
        }
        let hlc = HLC(rawValue: raw)
        afterTick()

        // 3. Every change in one statement (the marker goes at COMMIT, in `clinic.seal_at_commit`, which
        //    also chains the transaction's audit entries).
        let last = ChangeCapture.lastWrites(entries)
        var count = 0
        var binds: [PostgresValue] = []
        for (index, entry) in entries.enumerated() where last[index] {
            let canonical = ChangeCapture.rebuiltCanonicalValues(entry.values)
            let id = Change.id(origin: origin, hlc: hlc, table: entry.table, rowID: entry.rowID, group: entry.group,
                               canonicalValues: canonical, previous: entry.previous)
            count += 1
            binds += [.text(id), .text(origin), .integer(hlc.rawValue), .text(entry.table), .text(entry.rowID), .text(entry.group),
                      .text(canonical), entry.previous.map(PostgresValue.text) ?? .null]
        }
        // PostgreSQL takes at most 65,535 parameters in one statement; a bulk seal goes in chunks of rows.
        let rowsPerStatement = 8_000
        var start = 0
        while start < count {
            let end = min(start + rowsPerStatement, count)
            let insert = "INSERT INTO clinic.change (change_id, origin, hlc, tbl, row_id, grp, vals, prev) VALUES \(placeholders(rows: end - start))"
            try link.execute(insert, Array(binds[(start * 8)..<(end * 8)]))
            start = end
        }
        return Sealed(hlc: hlc, changes: count, lockHeldNanoseconds: 0)
    }

    /// `rows` tuples of 8 parameters, numbered from $1.
    private static func placeholders(rows: Int) -> String {
        (0..<rows).map { row in "(" + (1...8).map { "$\(row * 8 + $0)" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }

    private static func text(_ value: PostgresValue) throws -> String {
        guard case .text(let text) = value else {
            throw StorageError(.postgres, resultCode: 0, message: "a staged change has a column that is not text")
        }
        return text
    }
}
