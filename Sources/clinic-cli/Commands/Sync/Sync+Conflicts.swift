import ArgumentParser
import Models
import Storage
import Sync

struct SyncConflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "List conflicts LWW cannot fix; resolve one (A = smaller (HLC, origin)).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Conflict id (or its first 8+ characters) to resolve.") var resolve: String?
    @Option(help: "Side to keep: A or B. Keeping one side of a double booking cancels the other.") var keep: String?
    @Flag(help: "Also list resolved conflicts.") var all = false

    func validate() throws {
        if (resolve == nil) != (keep == nil) { throw ValidationError("--resolve and --keep go together") }
        if let keep, keep != "A", keep != "B" { throw ValidationError("--keep must be A or B") }
    }

    struct View: Encodable {
        struct Side: Encodable { let ref: String, version: JSONOutputValue }
        let id: String, kind: String, table: String, a: Side, b: Side, resolution: String?
        init(_ entry: ConflictBook.Entry) {
            id = entry.id
            kind = entry.kind
            table = entry.table
            a = Side(ref: entry.a.reference, version: JSONOutputValue(entry.a.summary))
            b = Side(ref: entry.b.reference, version: JSONOutputValue(entry.b.summary))
            resolution = entry.resolution
        }
    }

    func run() throws {
        let session = try global.open()
        if let resolve, let keep {
            let entry = try session.acting.resolveConflict(id: resolve, keep: keep)
            try session.emit(View(entry)) { "Resolved \(entry.id.prefix(12)) (\(entry.kind)): kept \(keep)" }
            return
        }
        let entries = try session.acting.conflicts(includeResolved: all)
        try session.emit(["conflicts": entries.map(View.init)]) {
            guard !entries.isEmpty else { return "No conflicts." }
            var table = TextTable("ID", "KIND", "A", "B", "RESOLVED")
            for e in entries {
                table.add(String(e.id.prefix(12)), e.kind, Self.describe(e.a), Self.describe(e.b), e.resolution.map { "kept \($0)" } ?? "")
            }
            return table.render()
        }
    }

    static func describe(_ side: ConflictBook.Side) -> String {
        if let origin = side.summary["origin"]?.stringValue {
            return "\(origin) \(side.summary["group"]?.stringValue ?? "") @\(side.summary["hlc"]?.stringValue ?? "")"
        }
        if let start = side.summary["start_ms"]?.integerValue {
            return "\(IDSuffix.short(side.reference)) \(Instant.iso(start))"
        }
        return IDSuffix.short(side.reference)
    }
}
