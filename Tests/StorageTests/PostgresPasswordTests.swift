import Foundation
import Testing
@testable import Storage

@Suite("PostgreSQL passwords found as libpq finds them")
struct PostgresPasswordTests {
    static let desk = PostgresPassword.Target(host: "db.clinic.example", port: 5432, database: "montreal", user: "desk")

    @Test("host:port:database:user:password, first matching line wins, comments and blank lines skipped")
    func firstMatch() {
        let file = """
        # clinic servers
        other.example:5432:montreal:desk:wrong-host

        db.clinic.example:5433:montreal:desk:wrong-port
        db.clinic.example:5432:montreal:desk:right
        db.clinic.example:5432:montreal:desk:second
        """
        #expect(PostgresPassword.match(file, target: Self.desk) == "right")
    }

    @Test("'*' alone matches any value of its field; as part of a field it is literal")
    func wildcards() {
        #expect(PostgresPassword.match("*:*:*:*:any", target: Self.desk) == "any")
        #expect(PostgresPassword.match("db.clinic.example:*:*:desk:d", target: Self.desk) == "d")
        #expect(PostgresPassword.match("db.*:5432:montreal:desk:x", target: Self.desk) == nil)
        #expect(PostgresPassword.match("*:5432:montreal:ana:x", target: Self.desk) == nil)
    }

    @Test("'\\:' and '\\\\' stand for ':' and '\\' in every field and in the password, which ends at an unescaped ':'")
    func escapes() {
        let target = PostgresPassword.Target(host: "::1", port: 5432, database: "a:b", user: "d\\e")
        #expect(PostgresPassword.match("\\:\\:1:5432:a\\:b:d\\\\e:p\\:w\\\\d", target: target) == "p:w\\d")
        #expect(PostgresPassword.match("*:*:*:*:first:ignored", target: target) == "first")
        #expect(PostgresPassword.match("::1:5432:a:b:d\\e:x", target: target) == nil)
    }

    @Test("Windows line ends and a missing final newline are read like the rest")
    func lineEnds() {
        #expect(PostgresPassword.match("x:1:y:z:no\r\ndb.clinic.example:5432:montreal:desk:crlf\r\n", target: Self.desk) == "crlf")
        #expect(PostgresPassword.match("db.clinic.example:5432:montreal:desk", target: Self.desk) == nil)
        #expect(PostgresPassword.match("db.clinic.example:5432:montreal:desk:", target: Self.desk) == "")
    }

    @Test("a socket directory matches itself; libpq's default directory and no host also match localhost")
    func sockets() {
        let custom = PostgresPassword.Target(host: "/tmp/pg", port: 5432, database: "clinic", user: "ana")
        #expect(PostgresPassword.match("localhost:5432:clinic:ana:l\n/tmp/pg:5432:clinic:ana:dir", target: custom) == "dir")
        let standard = PostgresPassword.Target(host: PostgresPassword.defaultSocketDirectory, port: 5432, database: "clinic", user: "ana")
        #expect(PostgresPassword.match("localhost:5432:clinic:ana:l", target: standard) == "l")
        let none = PostgresPassword.Target(host: "", port: 5432, database: "clinic", user: "ana")
        #expect(PostgresPassword.match("localhost:5432:clinic:ana:l", target: none) == "l")
    }

    @Test("PGPASSWORD comes first; an empty one falls back to the file")
    func environmentFirst() throws {
        let folder = try PasswordFolder()
        try folder.write("*:*:*:*:from-file", mode: 0o600)
        var warnings: [String] = []
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["PGPASSWORD": "from-env", "PGPASSFILE": folder.file],
                                        warn: { warnings.append($0) }) == "from-env")
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["PGPASSWORD": "", "PGPASSFILE": folder.file],
                                        warn: { warnings.append($0) }) == "from-file")
        #expect(warnings.isEmpty)
    }

    @Test("~/.pgpass is found through HOME when PGPASSFILE is not set")
    func home() throws {
        let folder = try PasswordFolder(name: ".pgpass")
        try folder.write("*:*:*:*:home", mode: 0o400)
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["HOME": folder.directory.path], warn: { _ in }) == "home")
    }

    @Test("a file others may read or write is ignored with libpq's warning, which never shows the password",
          arguments: [0o640, 0o604, 0o620, 0o660, 0o644, 0o666, 0o610])
    func looseMode(mode: Int) throws {
        let folder = try PasswordFolder()
        try folder.write("*:*:*:*:Sekr3t-pw", mode: mode)
        var warnings: [String] = []
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["PGPASSFILE": folder.file], warn: { warnings.append($0) }) == nil)
        #expect(warnings == ["WARNING: password file \"\(folder.file)\" has group or world access; permissions should be u=rw (0600) or less"])
    }

    @Test("a password file that is missing gives no password silently; one that is a folder is ignored with a warning")
    func notAFile() throws {
        let folder = try PasswordFolder()
        var warnings: [String] = []
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["PGPASSFILE": folder.file], warn: { warnings.append($0) }) == nil)
        #expect(warnings.isEmpty)
        #expect(PostgresPassword.lookup(for: Self.desk, environment: ["PGPASSFILE": folder.directory.path], warn: { warnings.append($0) }) == nil)
        #expect(warnings == ["WARNING: password file \"\(folder.directory.path)\" is not a plain file"])
    }
}

/// A temporary folder holding one password file, removed afterwards.
struct PasswordFolder: ~Copyable {
    let directory: URL
    let file: String

    init(name: String = "pgpass") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        file = directory.appendingPathComponent(name).path
    }

    func write(_ text: String, mode: Int) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
