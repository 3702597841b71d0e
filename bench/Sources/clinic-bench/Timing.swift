import Foundation

/// Plain wall-clock timing: repeated runs and medians, which hold up on a noisy shared machine
/// better than means do.
enum Timing {
    /// Seconds taken by `body`, on the monotonic clock.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// CPU seconds this thread spent in `body` (user and system): what a computation costs whatever else
    /// the shared machine runs meanwhile.
    static func threadCPU(_ body: () throws -> Void) rethrows -> Double {
        let start = clock(CLOCK_THREAD_CPUTIME_ID)
        try body()
        return clock(CLOCK_THREAD_CPUTIME_ID) - start
    }

    /// CPU seconds the whole process spent in `body`, every thread (an import reads on a second one).
    static func processCPU(_ body: () throws -> Void) rethrows -> Double {
        let start = clock(CLOCK_PROCESS_CPUTIME_ID)
        try body()
        return clock(CLOCK_PROCESS_CPUTIME_ID) - start
    }

    private static func clock(_ id: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(id, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The median of a non-empty list (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// One result line on stdout: `bench/run` reads these as JSON, so keys are stable and values plain numbers.
struct Report {
    private var fields: [(String, String)] = []

    init(_ name: String) { fields.append(("name", "\"\(name)\"")) }

    mutating func add(_ key: String, _ value: Double) { fields.append((key, String(format: "%.6g", value))) }
    mutating func add(_ key: String, _ value: Int) { fields.append((key, String(value))) }
    mutating func add(_ key: String, _ value: String) { fields.append((key, "\"\(value)\"")) }

    func print() {
        let line = "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}
