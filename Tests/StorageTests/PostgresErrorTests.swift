import Testing
import Models
@testable import Storage

@Suite("PostgreSQL failures reported as clinic reports SQLite's")
struct PostgresErrorTests {
    static func mapped(_ state: String, _ message: String = "server words", constraint: String? = nil) -> StorageError {
        PostgresLink.serverError(state: state, message: message, constraint: constraint, database: "montreal")
    }

    @Test("serialization failures, deadlocks and lock timeouts are retryable and read as locked")
    func retryable() {
        for state in ["40001", "40P01", "55P03"] {
            let error = Self.mapped(state)
            #expect(error.isRetryable)
            #expect(error.code == .locked)
        }
        for state in ["23505", "23P01", "CL001", "57014", "42P01"] { #expect(!Self.mapped(state).isRetryable) }
    }

    @Test("a trigger's refusal keeps clinic's words, as on SQLite")
    func triggerRefusal() {
        let error = Self.mapped("CL001", "note-signed: a signed note cannot be changed")
        #expect(error.code == .constraint)
        #expect(error.message == "a database constraint refused the change (note-signed: a signed note cannot be changed)")
    }

    @Test("constraint and data failures keep only the state and the constraint's name, never the server's text")
    func noValues() {
        let unique = Self.mapped("23505", "duplicate key value violates unique constraint; Key (name)=(Zoë Tremblay)", constraint: "patient_chart")
        #expect(unique.code == .constraint)
        #expect(unique.message.contains("patient_chart") && unique.message.contains("23505"))
        #expect(!unique.message.contains("Zoë"))
        let foreign = Self.mapped("23503", "Key (patient_id)=(p-1) is not present", constraint: "fk")
        #expect(foreign.isForeignKeyViolation)
        #expect(!foreign.message.contains("p-1"))
        let data = Self.mapped("22P02", "invalid input syntax for type bigint: \"Zoë\"")
        #expect(!data.message.contains("Zoë"))
    }

    @Test("a missing database, a read-only write and a refused login say what to do")
    func guidance() {
        #expect(Self.mapped("3D000").code == .notInitialised)
        #expect(Self.mapped("3D000").message.contains("\"montreal\""))
        #expect(Self.mapped("25006").code == .writeInsideRead)
        #expect(Self.mapped("28P01").message.contains("PGPASSWORD"))
    }
}
