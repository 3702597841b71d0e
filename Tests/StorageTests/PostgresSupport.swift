// The test cluster and scratch databases live in PostgresTestSupport, shared with the CLI tests.
@_exported import PostgresTestSupport
