import Models

extension Schema {
    /// Version 15: a network of sites that stays a network.
    ///
    /// Working hours belong to a site (a clinician may work at several): hours set before this
    /// version are the site's that made them, the origin of their winning change, as a merge reads
    /// a change from an older release (`SyncedTable.siteFromOrigin`). Services are a network
    /// catalogue offered at chosen sites (`service_offer`, one row per pair, its id derived from it);
    /// `offerServicesWhereUsed` offers each where it has been booked and where it was made. Every
    /// step reads only synced rows and changes, so every site migrates alike and digests stay equal.
    static var v15Sites: String {
        var sql = """
        UPDATE working_hours SET site_id = COALESCE(
            (SELECT s.id FROM change c JOIN site s ON s.code = c.origin
             WHERE c.tbl = 'working_hours' AND c.row_id = working_hours.id AND c.grp = 'details'
             ORDER BY c.hlc DESC, c.origin DESC, c.change_id DESC LIMIT 1),
            (SELECT id FROM site WHERE is_local = 1))
        WHERE site_id IS NULL;
        UPDATE local_setting SET resolutions_seen_seq = 0 WHERE resolutions_seen_seq IS NULL;
        CREATE INDEX IF NOT EXISTS working_hours_site ON working_hours(staff_id, site_id, weekday);
        CREATE TABLE IF NOT EXISTS service_offer (
            id TEXT PRIMARY KEY,
            service_id TEXT NOT NULL REFERENCES service(id),
            site_id TEXT NOT NULL REFERENCES site(id),
            UNIQUE (service_id, site_id)
        );

        """
        // After the update above, so that setting the hours' sites is not itself a change to send.
        for name in ["working_hours", "service_offer"] {
            if let table = SyncSchema.table(name) {
                sql += dropTriggers(for: table)
                sql += triggers(for: table)
            }
        }
        return sql
    }

    /// Offers every service where it has been booked (its rooms' sites) and at the site that made it
    /// (the origin of its first change; this site for one made before change capture).
    static func offerServicesWhereUsed(_ db: Database) throws {
        let pairs = try db.query("""
            SELECT DISTINCT a.service_id, r.site_id FROM appointment a JOIN room r ON r.id = a.room_id
            UNION
            SELECT v.id, COALESCE(
                (SELECT s.id FROM change c JOIN site s ON s.code = c.origin
                 WHERE c.tbl = 'service' AND c.row_id = v.id AND c.grp = 'details'
                 ORDER BY c.hlc, c.origin, c.change_id LIMIT 1),
                (SELECT id FROM site WHERE is_local = 1))
            FROM service v
            """).compactMap { row -> (String, String)? in
            guard let site = row.optionalString(1) else { return nil }
            return (row.string(0), site)
        }
        for (service, site) in pairs {
            try db.execute("INSERT OR IGNORE INTO service_offer (id, service_id, site_id) VALUES (?, ?, ?)",
                           [ServiceOffer.id(serviceID: service, siteID: site), service, site])
        }
    }
}
