// The PostgreSQL test cluster and scratch databases, for every file of this target.
@_exported import PostgresTestSupport
