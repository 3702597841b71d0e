import Foundation
import Models
@testable import Storage
import Testing
@testable import Sync

/// A concurrent edit lists both versions; its changes are found through the row they change.
@Suite("Concurrent edits between two sites")
struct ConcurrentEditTests {
    static let today = CivilDate(year: 2026, month: 11, day: 23) ?? CivilDate(daysSinceEpoch: 0)

    /// Two sites change one patient's phone while offline, then exchange both ways.
    func editBothSides() throws -> Network {
        let network = try Network(siteCount: 2)
        let chart = try #require(try network.sites[0].first("SELECT chart FROM patient ORDER BY rowid LIMIT 1")?.string(0))
        network.tick()
        for (index, phone) in [(0, "514-555-0001"), (1, "418-555-0002")] {
            _ = try network.sites[index].write { db in
                try PatientRepository(db).updateContact(chart: chart, phone: phone, email: nil, today: Self.today)
            }
        }
        network.tick()
        try network.exchange(from: 0, to: 1)
        try network.exchange(from: 1, to: 0)
        return network
    }

    /// The phones on the two sides of each site's one concurrent-edit conflict.
    func phones(_ network: Network, site: Int) throws -> [String] {
        let entries = try ConflictBook(network.sites[site]).list()
        #expect(entries.map(\.kind) == ["concurrent-edit"], "site \(site)")
        return entries.flatMap { [$0.a, $0.b] }.map { $0.summary["values"]?["phone"]?.stringValue ?? "missing" }
    }

    @Test("both sites list one conflict with both phones, the same way round, and no id-prefix index exists")
    func bothVersionsListed() throws {
        let network = try editBothSides()
        let first = try phones(network, site: 0)
        #expect(Set(first) == ["514-555-0001", "418-555-0002"])
        #expect(try phones(network, site: 1) == first)
        #expect(try network.conflicts(0) == network.conflicts(1))
        for db in network.sites {
            #expect(try db.first("SELECT 1 FROM sqlite_schema WHERE name = 'change_key'") == nil)
            #expect(try db.first("SELECT COUNT(*) FROM conflict WHERE kind = 'concurrent-edit' AND row_id IS NOT NULL")?.int(0) == 1)
        }
    }

    @Test("a database from version 8 keeps its concurrent-edit conflict readable after the upgrade")
    func upgradeFromVersion8() throws {
        let network = try editBothSides()
        let before = try phones(network, site: 1)
        let path = network.sites[1].path
        // Put the site back as version 8 wrote it: no row on the conflict, the id-prefix index present.
        try network.sites[1].executeScript("""
            ALTER TABLE conflict DROP COLUMN row_id;
            CREATE INDEX change_key ON change(substr(change_id, 1, 16));
            PRAGMA user_version = 8;
            """)
        network.sites[1] = try Database(path: path)
        #expect(try network.sites[1].schemaVersion() == Migrations.latest)
        #expect(try network.sites[1].first("SELECT row_id FROM conflict WHERE kind = 'concurrent-edit'")?.optionalString(0) != nil)
        #expect(try phones(network, site: 1) == before)
        #expect(try network.sites[1].first("SELECT 1 FROM sqlite_schema WHERE name = 'change_key'") == nil)
    }
}
