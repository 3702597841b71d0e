import Foundation
import Models

/// Session token files: one per open session, `<database id>-<handle>.session` (mode 0600) in
/// `$XDG_STATE_HOME/clinic/` (`~/.local/state/clinic/`, mode 0700). The database keeps only a hash.
enum SessionFiles {
    static var folder: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        return (base as NSString).appendingPathComponent("clinic")
    }

    static func path(databaseID: String, handle: String) -> String {
        (folder as NSString).appendingPathComponent("\(databaseID)-\(handle).session")
    }

    /// The tokens of this database's session files; with a handle, only that handle's.
    static func tokens(databaseID: String, handle: String?) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let prefix = databaseID + "-"
        return names.filter { name in
            name.hasPrefix(prefix) && name.hasSuffix(".session") && (handle.map { name == "\(prefix)\($0).session" } ?? true)
        }.sorted().compactMap { name in
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return SessionToken.isWellFormed(token) ? token : nil
        }
    }

    /// Writes a token: the folder made 0700, the file 0600 before the token goes in.
    static func write(token: String, databaseID: String, handle: String) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
            let path = path(databaseID: databaseID, handle: handle)
            let temporary = path + ".tmp"
            _ = manager.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            guard let handle = FileHandle(forWritingAtPath: temporary) else { throw CocoaError(.fileWriteNoPermission) }
            try handle.write(contentsOf: Data((token + "\n").utf8))
            try handle.synchronize()
            try handle.close()
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
            try manager.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw ClinicError(.unwritable, "cannot write the session file in \(folder)")
        }
    }

    /// Removes the session file holding a token of this hash.
    static func remove(tokenHash: String, databaseID: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(databaseID + "-") && name.hasSuffix(".session") {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if SessionToken.hash(token) == tokenHash { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
