import Models

extension Database {
    /// The full id of the row of `table` a user named by its id or a unique suffix of ≥ 8 hex digits.
    /// `table` is always a constant of ours, never user text.
    func resolveID(table: String, _ text: String, what: String) throws -> String {
        guard let suffix = IDSuffix.normalise(text) else {
            throw ClinicError(.invalidID, "\(Counted.withArticle(what)) is named by its id or the last 8 or more hex digits of it")
        }
        // `substr(x, length(x) - n + 1)` rather than `substr(x, -n)`: a negative start counts from the
        // end on SQLite only. The suffix has 8 or more digits, so the start is never 0.
        let rows = try query("SELECT id FROM \(table) WHERE substr(replace(id, '-', ''), CAST(length(replace(id, '-', '')) - ? + 1 AS INTEGER)) = ? LIMIT 2",
                             [suffix.count, suffix])
        guard let first = rows.first else { throw ClinicError.notFound("\(what) \(text)") }
        guard rows.count == 1 else {
            throw ClinicError(.ambiguous, "more than one \(what) ends in \(text); give more digits")
        }
        return first.string(0)
    }
}
