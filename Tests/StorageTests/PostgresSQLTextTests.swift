import Testing
@testable import Storage

@Suite("SQLite-spelled parameters rewritten for PostgreSQL")
struct PostgresSQLTextTests {
    @Test("bare ? are numbered in order; ?N keeps its number; a bare ? after ?N is one past the largest")
    func numbering() {
        #expect(PostgresSQLText.rewrite("SELECT a FROM t WHERE b = ? AND c = ?") ==
                .init(sql: "SELECT a FROM t WHERE b = $1 AND c = $2", parameterCount: 2))
        #expect(PostgresSQLText.rewrite("x BETWEEN ?1 AND ?3 OR y > ?2") ==
                .init(sql: "x BETWEEN $1 AND $3 OR y > $2", parameterCount: 3))
        #expect(PostgresSQLText.rewrite("?2, ?, ?1") == .init(sql: "$2, $3, $1", parameterCount: 3))
        #expect(PostgresSQLText.rewrite("?10 + ?") == .init(sql: "$10 + $11", parameterCount: 11))
    }

    @Test("question marks inside literals, quoted names and comments are text, not parameters")
    func quoting() {
        let sql = "SELECT 'what? it''s ?', \"odd?\" -- why ?\n, ? /* ? */ FROM t WHERE x = ?"
        #expect(PostgresSQLText.rewrite(sql) ==
                .init(sql: "SELECT 'what? it''s ?', \"odd?\" -- why ?\n, $1 /* ? */ FROM t WHERE x = $2", parameterCount: 2))
    }

    @Test("text without parameters, an unterminated literal and non-ASCII text pass unchanged")
    func unchanged() {
        for sql in ["BEGIN", "SELECT 'é?", "SELECT 'Zoë' /* unterminated ?", "SELECT 1 - -2"] {
            #expect(PostgresSQLText.rewrite(sql) == .init(sql: sql, parameterCount: 0))
        }
    }
}

@Suite("Scripts split into PostgreSQL statements")
struct PostgresScriptTests {
    @Test("split at top-level semicolons only: literals, quoted names, comments and dollar-quoted bodies stay whole")
    func split() {
        let script = """
            CREATE TABLE a (x text DEFAULT ';'); -- a comment; still a comment
            /* block; comment */ CREATE TABLE "b;c" (y int);
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no; never'; RETURN NULL; END $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            SELECT $1::int;
            ;  -- only a comment here
            """
        let statements = PostgresSQLText.statements(script)
        #expect(statements.count == 5, "\(statements)")
        #expect(statements.first == "CREATE TABLE a (x text DEFAULT ';')")
        #expect(statements[1].hasSuffix("CREATE TABLE \"b;c\" (y int)"))
        #expect(statements[2].hasSuffix("RETURN NULL; END $$"))
        #expect(statements[3].hasSuffix("$body$ SELECT 1; $body$"))
        #expect(statements[4] == "SELECT $1::int")
    }
}
