import Foundation
import Testing

/// One command that writes a file with `--to`: its arguments, how its output begins, and a way to make it fail.
struct FileExport: CustomTestStringConvertible, Sendable {
    let name: String
    let arguments: [String]
    /// The first bytes every file this command writes starts with.
    let marker: String
    /// Arguments that make the same command fail after it has chosen its destination.
    let failing: [String]

    var testDescription: String { name }

    static let all = [
        FileExport(name: "export fhir", arguments: ["export", "fhir", "--patient", "MTL-000001", "--as", "jdoe"], marker: "{\"entry\":",
                   failing: ["export", "fhir", "--patient", "MTL-000099", "--as", "jdoe"]),
        FileExport(name: "export ics", arguments: ["export", "ics", "--with", "jdoe", "--as", "desk"], marker: "BEGIN:VCALENDAR",
                   failing: ["export", "ics", "--with", "nobody", "--as", "desk"]),
        FileExport(name: "sync export", arguments: ["sync", "export", "--plaintext", "--as", "admin"], marker: "{\"audit\":",
                   failing: ["sync", "export", "--for", "QC", "--as", "admin"]),
    ]
}

/// The names in a folder, for checking that a command left nothing behind.
private func entries(_ folder: String) -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
}

private func mode(_ path: String) -> Int? {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
}

@Suite("Every --to: never the database, never an existing file without --force, private, atomic")
struct ExportDestinationTests {
    /// The clinical site with one booking for jdoe, so every export has something to write.
    func site() throws -> (clinic: ClinicProcess, folder: String) {
        let (clinic, _, _) = try clinicalSite()
        return (clinic, URL(fileURLWithPath: clinic.database).deletingLastPathComponent().path)
    }

    /// The database still opens and still holds its patient after a refused export.
    func expectDatabaseWorks(_ clinic: ClinicProcess, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let shown = try clinic.run(["patient", "show", "MTL-000001", "--json"])
        #expect(shown.status == 0, "the database no longer works: \(shown.stderr)", sourceLocation: sourceLocation)
        #expect(shown.json["chart"] as? String == "MTL-000001", sourceLocation: sourceLocation)
    }

    @Test("the database, its -wal and -shm are refused even with --force, by any name", arguments: FileExport.all)
    func refusesDatabaseFiles(export: FileExport) throws {
        let (clinic, folder) = try site()
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/alias.sqlite", withDestinationPath: clinic.database)
        let before = try Data(contentsOf: URL(fileURLWithPath: clinic.database))
        let names = [clinic.database, clinic.database + "-wal", clinic.database + "-shm", folder + "/sub/../clinic.sqlite",
                     folder + "/alias.sqlite", folder + "/sub/../clinic.sqlite-wal"]
        for name in names {
            for force in [false, true] {
                let result = try clinic.run(export.arguments + ["--to", name, "--json"] + (force ? ["--force"] : []))
                #expect(result.status == 1, "\(export.name) --to \(name)\(force ? " --force" : ""): \(result.stderr)")
                #expect(result.errorCode == "exists", "\(result.stderr)")
                #expect(jsonError(result.stderr)?.message.contains("--to") == true, "\(result.stderr)")
                for sidecar in ["-wal", "-shm"] {
                    let written = (try? String(contentsOfFile: clinic.database + sidecar, encoding: .utf8)) ?? ""
                    #expect(!written.hasPrefix(export.marker), "\(export.name) wrote over the database's \(sidecar)")
                }
                try expectDatabaseWorks(clinic)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: clinic.database)).prefix(16) == before.prefix(16))
        #expect(entries(folder).allSatisfy { !$0.hasSuffix(".tmp") && !$0.hasSuffix(".partial") }, "\(entries(folder))")
    }

    @Test("an existing file is refused without --force and left byte for byte; --force replaces it, private", arguments: FileExport.all)
    func existingFile(export: FileExport) throws {
        let (clinic, folder) = try site()
        let file = folder + "/existing.out"
        let original = Data("kept: Zéphyrin's old letter\n".utf8)
        try original.write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)

        let refused = try clinic.run(export.arguments + ["--to", file, "--json"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.errorCode == "exists", "\(refused.stderr)")
        let message = jsonError(refused.stderr)?.message ?? ""
        #expect(message.contains("--force"), "\(message)")
        #expect(!message.contains("Zéphyrin") && !message.contains("letter"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == original)
        #expect(mode(file) == 0o644)
        try expectDatabaseWorks(clinic)

        let forced = try clinic.run(export.arguments + ["--to", file, "--force", "--json"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix(export.marker))
        #expect(mode(file) == 0o600)
        #expect(entries(folder).allSatisfy { !$0.hasSuffix(".tmp") && !$0.hasSuffix(".partial") }, "\(entries(folder))")
    }

    @Test("a new file is created readable by its owner only, with nothing else left in its folder", arguments: FileExport.all)
    func newFileIsPrivate(export: FileExport) throws {
        let (clinic, folder) = try site()
        let before = entries(folder)
        let file = folder + "/new.out"
        let result = try clinic.run(export.arguments + ["--to", file, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix(export.marker))
        #expect(mode(file) == 0o600)
        #expect(entries(folder).subtracting(before) == ["new.out"], "\(entries(folder).subtracting(before))")
    }

    @Test("--to - writes the export itself to stdout and no file; the summary goes to stderr", arguments: FileExport.all)
    func standardOutput(export: FileExport) throws {
        let (clinic, folder) = try site()
        let before = entries(folder)
        let here = FileManager.default.currentDirectoryPath + "/-"
        let existed = FileManager.default.fileExists(atPath: here)
        defer { if !existed { try? FileManager.default.removeItem(atPath: here) } }
        let result = try clinic.run(export.arguments + ["--to", "-", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(export.marker), "\(result.stdout.prefix(200))")
        #expect(!result.stderr.isEmpty)
        #expect(existed || !FileManager.default.fileExists(atPath: here), "a file named '-' was written")
        #expect(entries(folder) == before)
    }

    @Test("a failed export leaves no temporary file and no target", arguments: FileExport.all)
    func failureLeavesNothing(export: FileExport) throws {
        let (clinic, folder) = try site()
        let before = entries(folder)
        let refused = try clinic.run(export.failing + ["--to", folder + "/never.out", "--json"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(entries(folder) == before, "\(entries(folder).symmetricDifference(before))")

        // A folder in the way fails the final rename, after every byte was written.
        try FileManager.default.createDirectory(atPath: folder + "/in-the-way", withIntermediateDirectories: false)
        let blocked = try clinic.run(export.arguments + ["--to", folder + "/in-the-way", "--force", "--json"])
        #expect(blocked.status != 0, "\(blocked.stderr)")
        #expect(entries(folder) == before.union(["in-the-way"]), "\(entries(folder).symmetricDifference(before))")
        #expect(entries(folder + "/in-the-way").isEmpty)
        try expectDatabaseWorks(clinic)
    }
}
