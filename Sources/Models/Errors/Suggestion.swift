/// "Did you mean …": the closest of a few known names to one typed wrong, by edit distance, so a
/// typo (`bok`, `dn30`) is answered with the name meant. Only names the user may see anyway are offered.
public enum Suggestion {
    /// The candidate nearest to `typed` (case-insensitive), if it is close enough to be a typo:
    /// at most a third of the longer name's letters, and at most 3, differ; or, failing that, the one
    /// name that starts with what was typed (`prec` → `precaution`), when it is at least three letters.
    public static func closest<S: Sequence>(to typed: String, among candidates: S) -> String? where S.Element == String {
        let target = Array(typed.lowercased())
        let names = Array(candidates)
        if let near = nearest(target, typed: typed, among: names) { return near }
        guard target.count >= 3 else { return nil }
        let starting = Set(names.filter { $0 != typed && $0.lowercased().hasPrefix(typed.lowercased()) })
        return starting.count == 1 ? starting.first : nil
    }

    private static func nearest(_ target: [Character], typed: String, among candidates: [String]) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            let allowed = min(3, max(1, max(target.count, candidate.count) / 3))
            guard typed != candidate, distance <= allowed else { continue }
            if let current = best, (distance, candidate) >= (current.distance, current.name) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// " (did you mean 'NAME'?)" or nothing.
    public static func phrase<S: Sequence>(for typed: String, among candidates: S) -> String where S.Element == String {
        closest(to: typed, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit (`dn03` → `dn30`).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
