import Models
import Testing

@Suite("What --db names: a file or a PostgreSQL URL")
struct DatabaseLocationTests {
    private func address(_ text: String) throws -> PostgresAddress {
        guard case .postgres(let address) = try DatabaseLocation(parsing: text) else {
            Issue.record("\(text) was not read as PostgreSQL")
            throw ClinicError(.usage, "not PostgreSQL")
        }
        return address
    }

    private func refusal(_ text: String) -> ClinicError? {
        do {
            _ = try DatabaseLocation(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("a path, relative or absolute, even one with a colon, is an SQLite file",
          arguments: ["clinic.sqlite", "/var/lib/clinic/site.sqlite", "./a:b.sqlite", "C:notes.sqlite", "~/x.sqlite", ""])
    func path(text: String) throws {
        #expect(try DatabaseLocation(parsing: text) == .sqlite(path: text))
    }

    @Test("user, host, port, database and sslmode, in both schemes")
    func full() throws {
        for scheme in ["postgresql", "postgres", "PostgreSQL"] {
            let parsed = try address("\(scheme)://desk@db.clinic.example:5433/montreal?sslmode=verify-full")
            #expect(parsed == PostgresAddress(endpoint: .tcp(host: "db.clinic.example"), port: 5433, database: "montreal",
                                              user: "desk", sslMode: .verifyFull))
        }
    }

    @Test("what the URL leaves out stays unset, for libpq's defaults")
    func defaults() throws {
        #expect(try address("postgresql://db/clinic") == PostgresAddress(endpoint: .tcp(host: "db"), database: "clinic"))
        #expect(try address("postgresql:///clinic") == PostgresAddress(endpoint: .libpqDefault, database: "clinic"))
        #expect(try address("postgresql://ana@/clinic") == PostgresAddress(endpoint: .libpqDefault, database: "clinic", user: "ana"))
    }

    @Test("a percent-encoded socket directory as host, or ?host=/dir, is a Unix socket")
    func socket() throws {
        #expect(try address("postgresql://%2Ftmp%2Fpg/clinic").endpoint == .socket(directory: "/tmp/pg"))
        #expect(try address("postgresql://%2ftmp%2fpg:5999/clinic") == PostgresAddress(endpoint: .socket(directory: "/tmp/pg"), port: 5999, database: "clinic"))
        #expect(try address("postgresql://ana@/clinic?host=/tmp/pg") == PostgresAddress(endpoint: .socket(directory: "/tmp/pg"), database: "clinic", user: "ana"))
        #expect(try address("postgresql:///clinic?host=%2Fvar%2Frun%2Fpostgresql&port=5432").endpoint == .socket(directory: "/var/run/postgresql"))
    }

    @Test("an IPv6 address in brackets, with or without a port")
    func ipv6() throws {
        #expect(try address("postgresql://[::1]:5433/clinic") == PostgresAddress(endpoint: .tcp(host: "::1"), port: 5433, database: "clinic"))
        #expect(try address("postgresql://[fe80::1]/clinic").endpoint == .tcp(host: "fe80::1"))
    }

    @Test("percent-encoded user and database names are decoded; query parameters override the URL's parts")
    func decoding() throws {
        #expect(try address("postgresql://d%C3%A9sir%C3%A9e@db/caf%C3%A9").user == "désirée")
        #expect(try address("postgresql://d%C3%A9sir%C3%A9e@db/caf%C3%A9").database == "café")
        #expect(try address("postgresql://a@db/one?user=b&dbname=two&port=6000") ==
                PostgresAddress(endpoint: .tcp(host: "db"), port: 6000, database: "two", user: "b"))
    }

    @Test("each sslmode clinic honours", arguments: PostgresAddress.SSLMode.allCases)
    func sslModes(mode: PostgresAddress.SSLMode) throws {
        #expect(try address("postgresql://db/clinic?sslmode=\(mode.rawValue)").sslMode == mode)
    }

    @Test("a password, in the user part or as a parameter, is refused without repeating it",
          arguments: ["postgresql://ana:Sekr3t-pw@db/clinic", "postgres://ana:Sekr3t-pw@/clinic?host=/tmp",
                      "postgresql://db/clinic?password=Sekr3t-pw", "postgresql://ana:@db/clinic", "postgresql://:Sekr3t-pw@db/clinic"])
    func password(text: String) throws {
        let error = try #require(refusal(text))
        #expect(error.code == .invalidDatabaseURL)
        #expect(error.category == .usage)
        #expect(!error.message.contains("Sekr3t"))
        #expect(error.message.contains("PGPASSWORD"))
        #expect(error.message.contains("~/.pgpass"))
    }

    @Test("other mistakes are refused as usage errors that name the part, never the URL",
          arguments: [
            ("mysql://db/clinic", "scheme"),
            ("postgresql://db", "names no database"),
            ("postgresql://db/", "names no database"),
            ("postgresql://db:0/clinic", "port"),
            ("postgresql://db:65536/clinic", "port"),
            ("postgresql://db:54x2/clinic", "port"),
            ("postgresql://db/clinic?sslmode=verify-ca", "sslmode"),
            ("postgresql://db/clinic?sslmode=allow", "sslmode"),
            ("postgresql://db/clinic?options=-c%20x", "'options'"),
            ("postgresql://db/clinic?sslmode", "name=value"),
            ("postgresql://db1,db2/clinic", "several hosts"),
            ("postgresql://db/clinic?host=a,b", "several hosts"),
            ("postgresql://db/cl%ZZinic", "%-escape"),
            ("postgresql://db/cl%00inic", "not valid text"),
            ("postgresql://db/a/b", "only the database name"),
            ("postgresql://[::1/clinic", "']'"),
            ("postgresql://db/clinic#top", "fragment"),
          ])
    func refused(text: String, mention: String) throws {
        let error = try #require(refusal(text))
        #expect(error.code == .invalidDatabaseURL)
        #expect(error.message.contains(mention), "\(error.message)")
        #expect(!error.message.contains(text))
    }

    @Test("display rebuilds the URL, safe to print")
    func display() throws {
        #expect(try DatabaseLocation(parsing: "postgres://ana@%2Ftmp%2Fpg:5999/clinic?sslmode=disable").display ==
                "postgresql://ana@:5999/clinic?host=/tmp/pg&sslmode=disable")
        #expect(try DatabaseLocation(parsing: "postgresql://[::1]/clinic").display == "postgresql://[::1]/clinic")
        #expect(try DatabaseLocation(parsing: "site.sqlite").display == "site.sqlite")
        let round = try DatabaseLocation(parsing: "postgres://ana@%2Ftmp%2Fpg:5999/clinic?sslmode=disable")
        #expect(try DatabaseLocation(parsing: round.display) == round)
    }
}
