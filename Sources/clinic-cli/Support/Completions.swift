import ArgumentParser
import Foundation
import Models
import Storage

/// Shell completion from the database: handles, service slugs and room names, which every role may list
/// anyway. Offered only while this workstation holds a live session for the database (never a prompt, never
/// an audit entry, never a chart or a name); with no session, or anything wrong, nothing is offered.
enum Completions {
    static let handles = CompletionKind.custom { words, _, prefix in
        offer(words, prefix) { db in try StaffRepository(db).all().filter(\.active).map(\.handle) }
    }

    /// Handles of active clinicians: who `--with` may book.
    static let practitioners = CompletionKind.custom { words, _, prefix in
        offer(words, prefix) { db in try StaffRepository(db).all().filter { $0.active && $0.isClinician }.map(\.handle) }
    }

    static let services = CompletionKind.custom { words, _, prefix in
        offer(words, prefix) { db in try ServiceRepository(db).all().map(\.slug) }
    }

    static let rooms = CompletionKind.custom { words, _, prefix in
        offer(words, prefix) { db in try RoomRepository(db).at(siteID: SiteRepository(db).local().id).map(\.name) }
    }

    /// The names `list` reads, starting with `prefix`, when a live session is open for the database the
    /// command line names (`--db`, else `$CLINIC_DB`, else the default); else none.
    static func offer(_ words: [String], _ prefix: String, _ list: (Database) throws -> [String]) -> [String] {
        guard let options = try? GlobalOptions.parse(databaseArguments(in: words)) else { return [] }
        guard let location = try? DatabaseLocation(parsing: options.databasePath) else { return [] }
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return [] }
        guard let db = try? Database(location: location, create: false, migrate: false),
              let names = try? namesWithSession(db, list) else { return [] }
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    private static func namesWithSession(_ db: Database, _ list: (Database) throws -> [String]) throws -> [String] {
        let (clock, _) = try ClinicClock.choose(testClock: try LocalSettings(db).testClock())
        let tokens = SessionFiles.tokens(databaseID: try LocalSettings(db).databaseID(), handle: nil)
        guard !tokens.isEmpty, !(try LoginSessions(db).live(tokens: tokens, now: clock.nowMillis())).isEmpty else { return [] }
        return try list(db)
    }

    /// `--db PATH` or `--db=PATH` from the words typed so far, as arguments `GlobalOptions` parses.
    static func databaseArguments(in words: [String]) -> [String] {
        for (index, word) in words.enumerated() {
            if word.hasPrefix("--db=") { return [word] }
            if word == "--db", index + 1 < words.count { return ["--db", words[index + 1]] }
        }
        return []
    }
}
