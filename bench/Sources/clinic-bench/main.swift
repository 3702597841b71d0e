import Foundation

/// `clinic-bench BENCHMARK --db PATH [--n N] [--samples N]`: one benchmark per process, one JSON line out.
/// `bench/run` chooses sizes (quick or full) and sets the baselines beside these figures; it runs
/// `clinic-bench checks` first, which fails when the storage layer stops running SQLite as the figures assume.
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func intOption(_ name: String, default value: Int) -> Int { option(name).flatMap(Int.init) ?? value }

do {
    guard let command = arguments.first, let path = option("db") else {
        throw BenchError("usage: clinic-bench checks|cold-start-fixture|booking|conflict|slots|capture|fts|identity|sync-source|sync-destination --db PATH [--n N] [--samples N] [--rounds N]")
    }
    let n = intOption("n", default: 1_000)
    let samples = intOption("samples", default: 50)
    switch command {
    case "checks": try Checks.run(path: path)
    case "cold-start-fixture": try SchedulingBenchmarks.coldStartFixture(path: path, count: n)
    case "booking": try SchedulingBenchmarks.booking(path: path, count: n)
    case "conflict": try SchedulingBenchmarks.conflict(path: path, present: n, samples: samples)
    case "slots": try SchedulingBenchmarks.slots(path: path, present: n, samples: samples)
    case "capture": try SchedulingBenchmarks.captureOverhead(path: path, count: n, synchronousOff: option("synchronous") == "off")
    case "fts": try NoteBenchmarks.search(path: path, notes: n, samples: samples)
    case "identity": try IdentityBenchmarks.run(path: path, notes: n, samples: samples, rounds: intOption("rounds", default: 3))
    case "sync-source": try SyncFixtures.source(path: path, changes: n)
    case "sync-destination": try SyncFixtures.destination(path: path, source: option("source") ?? "")
    default: throw BenchError("unknown benchmark \(command)")
    }
} catch {
    FileHandle.standardError.write(Data("clinic-bench: \(error)\n".utf8))
    exit(1)
}
