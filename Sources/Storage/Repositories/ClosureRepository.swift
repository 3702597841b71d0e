import Models

/// Days a site is closed (`site_closure`, synced). A row is never deleted: reopening clears its
/// `closed` flag, so closing, reopening and closing again at two sites converge by last writer wins.
public struct ClosureRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Closes a site on a day (again, if it was reopened), with an optional reason.
    package func close(site: Site, date: CivilDate, reason: String?) throws {
        try PlainText.require(reason, field: .reason)
        try db.execute("""
            INSERT INTO site_closure (id, site_id, date, closed, reason) VALUES (?, ?, ?, 1, ?)
            ON CONFLICT(id) DO UPDATE SET closed = 1, reason = excluded.reason
            """, [SiteClosure.id(siteID: site.id, date: date), site.id, date.description, reason])
    }

    /// Reopens a closed day; `not-found` when the site is not closed that day.
    package func reopen(site: Site, date: CivilDate) throws {
        guard try closure(siteID: site.id, on: date) != nil else {
            throw ClinicError.notFound("closure of site \(site.code) on \(date.description)")
        }
        try db.execute("UPDATE site_closure SET closed = 0 WHERE id = ?", [SiteClosure.id(siteID: site.id, date: date)])
    }

    /// The site's closure on a day, if it is closed then.
    public func closure(siteID: String, on date: CivilDate) throws -> SiteClosure? {
        try db.cachedStatement(sql: """
            SELECT c.site_id, s.code, c.date, c.reason FROM site_closure c JOIN site s ON s.id = c.site_id
            WHERE c.site_id = ? AND c.date = ? AND c.closed = 1
            """).first([siteID, date.description]).map(Self.closure)
    }

    /// The site's closed days in `[from, through]`, by date.
    public func closures(siteID: String, from: CivilDate, through: CivilDate) throws -> [SiteClosure] {
        try db.query("""
            SELECT c.site_id, s.code, c.date, c.reason FROM site_closure c JOIN site s ON s.id = c.site_id
            WHERE c.site_id = ? AND c.date >= ? AND c.date <= ? AND c.closed = 1 ORDER BY c.date
            """, [siteID, from.description, through.description]).map(Self.closure)
    }

    /// The site's closed days from `date` on, by date.
    public func upcoming(siteID: String, from date: CivilDate) throws -> [SiteClosure] {
        try db.query("""
            SELECT c.site_id, s.code, c.date, c.reason FROM site_closure c JOIN site s ON s.id = c.site_id
            WHERE c.site_id = ? AND c.date >= ? AND c.closed = 1 ORDER BY c.date
            """, [siteID, date.description]).map(Self.closure)
    }

    static func closure(_ row: Row) -> SiteClosure {
        SiteClosure(siteID: row.string(0), siteCode: row.string(1), date: CivilDate.parse(row.string(2)) ?? CivilDate(daysSinceEpoch: 0),
                    reason: row.optionalString(3))
    }
}
