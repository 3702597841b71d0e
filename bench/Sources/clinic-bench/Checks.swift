import Foundation
import Models
@_spi(Checks) import Storage

/// `clinic-bench checks --db PATH`: facts about how the storage layer runs SQLite that no user sees but
/// the benchmarks depend on. They are not tests of behaviour, so they live here, not in the test suite.
/// Prints one JSON line per check and fails (exit 1) when any check fails.
enum Checks {
    static func run(path: String) throws {
        let checks: [(name: String, check: (Database) throws -> String?)] = [
            ("change-lookups-stay-compiled", changeLookupsStayCompiled),
            ("one-off-statements-are-not-kept", oneOffStatementsAreNotKept),
            ("note-rank-scores-are-negative", noteRankScoresAreNegative),
        ]
        var failed: [String] = []
        for (index, entry) in checks.enumerated() {
            // Each check on its own fresh database, so one cannot change what the next sees.
            let file = "\(path)-\(index)"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
            let problem = try entry.check(try Database(path: file))
            if problem != nil { failed.append(entry.name) }
            let detail = problem.map { ",\"problem\":\"\($0)\"" } ?? ""
            print("{\"name\":\"check\",\"check\":\"\(entry.name)\",\"ok\":\(problem == nil)\(detail)}")
        }
        if !failed.isEmpty { throw BenchError("checks failed: \(failed.joined(separator: ", "))") }
    }

    /// A partial index whose condition compares a column with a constant (`tbl = 'needling'`) makes
    /// SQLite recompile every statement with `tbl = ?` whenever a new value is bound to it, which cost
    /// a re-import three times its time. The statements import runs per change must not recompile.
    static func changeLookupsStayCompiled(_ db: Database) throws -> String? {
        for sql in ["SELECT 1 FROM change WHERE tbl = ? AND row_id = ? LIMIT 1",
                    "SELECT 1 FROM change WHERE tbl = ? AND row_id = ? AND grp = ? AND hlc = ? AND change_id = ?",
                    "SELECT change_id, vals FROM change WHERE tbl = ? AND row_id = ? AND grp = ? AND prev = ? AND change_id != ?"] {
            let statement = try db.prepare(sql)
            let count = sql.filter { $0 == "?" }.count
            for table in ["appointment", "needling", "patient", "adverse_event", "note"] {
                let arguments: [SQLBindable] = [table] + Array(repeating: "details" as SQLBindable, count: count - 1)
                _ = try statement.first(arguments)
            }
            if statement.recompilations != 0 { return "recompiled \(statement.recompilations) times: \(sql.prefix(60))" }
        }
        return nil
    }

    /// `cachedStatement` keeps what runs often; `makeStatement` (schema steps, PRAGMAs) leaves the cache as it was.
    static func oneOffStatementsAreNotKept(_ db: Database) throws -> String? {
        let before = db.cachedStatementCount
        _ = try db.makeStatement(sql: "SELECT count(*) FROM site").first()
        _ = try db.schemaVersion()
        guard db.cachedStatementCount == before else { return "a one-off statement was cached" }
        _ = try db.cachedStatement(sql: "SELECT count(*) FROM room").first()
        _ = try db.cachedStatement(sql: "SELECT count(*) FROM room").first()
        return db.cachedStatementCount == before + 1 ? nil : "a cached statement was compiled twice or not kept"
    }

    /// `clinic_rank` scores like FTS5's `bm25`: negative, so `ORDER BY clinic_rank(...)` puts the best match first.
    static func noteRankScoresAreNegative(_ db: Database) throws -> String? {
        try db.execute("CREATE VIRTUAL TABLE temp.scratch USING fts5(body)")
        for text in ["needling lateral epicondylalgia"] + Array(repeating: "home exercise program reviewed", count: 8) {
            try db.execute("INSERT INTO temp.scratch (body) VALUES (?)", [text])
        }
        guard let score = try db.first("SELECT clinic_rank(scratch) FROM temp.scratch WHERE scratch MATCH 'needling'")?.double(0) else {
            return "no match"
        }
        return score < 0 ? nil : "score \(score) is not negative"
    }
}
