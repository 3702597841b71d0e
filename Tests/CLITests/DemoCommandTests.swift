import Foundation
import Testing

@Suite("clinic demo")
struct DemoCommandTests {
    @Test("demo creates a site with 30+ patients; a second demo exits 1 and changes nothing", arguments: Backend.allCases)
    func demoTwice(backend: Backend) throws {
        let sandbox = CLISandbox(backend: backend)
        let first = sandbox.runClinic(["demo", "--json"])
        try #require(first.status == 0, "demo failed: \(first.stderr)")
        let summary = try #require(jsonObject(first.stdout), "not JSON: \(first.stdout)")
        let patients = try #require(summary["patients"] as? Int)
        #expect(patients >= 30)
        #expect(sandbox.siteCount("patients") == patients)
        let before = try #require(jsonObject(sandbox.runClinic(["site", "show", "--json"]).stdout))

        let second = sandbox.runClinic(["demo", "--json"])
        #expect(second.status == 1)
        #expect(jsonError(second.stderr)?.code == "already-initialised")
        let after = try #require(jsonObject(sandbox.runClinic(["site", "show", "--json"]).stdout))
        for key in ["patients", "staff", "rooms", "services"] {
            #expect(after[key] as? Int == before[key] as? Int, "\(key) changed")
        }
        #expect(after["id"] as? String == before["id"] as? String)

        let found = sandbox.runClinic(["patient", "find", "helene", "--json"])
        #expect((jsonObject(found.stdout)?["patients"] as? [[String: Any]])?.contains { $0["first"] as? String == "Hélène" } == true)
    }

    @Test("demo refuses a database that init already made", arguments: Backend.allCases)
    func demoAfterInit(backend: Backend) throws {
        let sandbox = CLISandbox(backend: backend)
        try sandbox.initialise()
        let demo = sandbox.runClinic(["demo"])
        #expect(demo.status == 1)
        #expect(demo.stderr.contains("[already-initialised]"))
        #expect(sandbox.siteCount("patients") == 0)
        #expect(sandbox.siteCount("staff") == 1)
    }
}
