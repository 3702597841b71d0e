import Models

extension Schema {
    /// Version 17: a draft's mis-entered needle sites can be removed, and search finds recorded points and muscles.
    ///
    /// `needling_removal` is a new synced, insert-only table (one row per site removed from a draft) rather
    /// than a flag on `needling`: a change log from an older release has no value for a new field group,
    /// and insert-only rows cannot be deleted through sync. A removal hides its site while the note is a
    /// draft; signing deletes the removed sites locally, so the signature covers exactly the sites shown,
    /// and other sites drop them when the signature arrives (rows a signature does not cover go). A removal
    /// that reaches a note already signed elsewhere changes nothing: the signature wins.
    ///
    /// The search index (`note_text`) gains one row per note (`source = 'needling'`) with the codes of its
    /// points and the names of its muscles, kept by triggers (for rows synced in too) and built here for
    /// the notes already on file.
    static var v17Search: String {
        var sql = """
        CREATE TABLE IF NOT EXISTS needling_removal (
            id TEXT PRIMARY KEY,
            needling_id TEXT NOT NULL,
            note_id TEXT NOT NULL REFERENCES note(id),
            removed_by TEXT NOT NULL REFERENCES staff(id),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS needling_removal_note ON needling_removal(note_id);
        CREATE INDEX IF NOT EXISTS needling_removal_needling ON needling_removal(needling_id);
        DROP TRIGGER IF EXISTS needling_removal_locked;
        CREATE TRIGGER needling_removal_locked BEFORE INSERT ON needling_removal
        WHEN (SELECT status FROM note WHERE id = NEW.note_id) = 'signed' AND (SELECT applying FROM sync_state WHERE id = 1) = 0
        BEGIN SELECT RAISE(ABORT, 'note-signed: a signed note cannot be changed'); END;

        """
        if let table = SyncSchema.table("needling_removal") {
            sql += dropTriggers(for: table)
            sql += triggers(for: table)
        }
        sql += """
        DROP TRIGGER IF EXISTS needling_text_insert;
        CREATE TRIGGER needling_text_insert AFTER INSERT ON needling BEGIN \(needlingText("NEW.note_id")) END;
        DROP TRIGGER IF EXISTS needling_text_delete;
        CREATE TRIGGER needling_text_delete AFTER DELETE ON needling BEGIN \(needlingText("OLD.note_id")) END;
        DROP TRIGGER IF EXISTS needling_removal_text;
        CREATE TRIGGER needling_removal_text AFTER INSERT ON needling_removal BEGIN \(needlingText("NEW.note_id")) END;
        DELETE FROM note_text WHERE source = 'needling';
        INSERT INTO note_text (note_id, source, body)
            SELECT g.note_id, 'needling', group_concat(coalesce(g.point, g.muscle), ' ') FROM needling g
            WHERE NOT EXISTS (SELECT 1 FROM needling_removal r JOIN note n ON n.id = r.note_id
                              WHERE r.needling_id = g.id AND n.status = 'draft')
            GROUP BY g.note_id;

        """
        return sql
    }

    /// The statements that rebuild one note's `needling` search row: the sites it shows (a draft hides
    /// its removed sites), nothing when it has none. `note` is an SQL expression (a trigger's `NEW.note_id`).
    private static func needlingText(_ note: String) -> String {
        """
        DELETE FROM note_text WHERE note_id = \(note) AND source = 'needling';
            INSERT INTO note_text (note_id, source, body)
            SELECT \(note), 'needling', group_concat(coalesce(g.point, g.muscle), ' ') FROM needling g
            WHERE g.note_id = \(note) AND NOT EXISTS (SELECT 1 FROM needling_removal r JOIN note n ON n.id = r.note_id
                                                     WHERE r.needling_id = g.id AND n.status = 'draft')
            HAVING count(*) > 0;
        """
    }
}
