import Foundation
import Models
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line on stderr that shows how far long work has got, its rate and the time left: drawn only
/// when stderr is a terminal and the command prints text (never with `--json`, never into a pipe or
/// a file), redrawn at most ten times a second with a carriage return (no escape sequences, so it
/// works with `TERM=dumb`), and wiped before the command's own output.
final class ProgressBar {
    /// What the work counts.
    enum Unit {
        case bytes
        case items(String)
    }

    private let label: String
    private let unit: Unit
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0
    private var lastLength = 0
    private var latest: (done: Int, total: Int?) = (0, nil)

    private init(label: String, unit: Unit) {
        self.label = label
        self.unit = unit
    }

    /// A bar for this command, or nil when nothing should be drawn.
    static func start(_ label: String, unit: Unit, json: Bool) -> ProgressBar? {
        guard !json, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressBar(label: label, unit: unit)
    }

    /// What the working code calls.
    var report: ProgressReport { { [self] done, total in update(done, total) } }

    func update(_ done: Int, _ total: Int?) {
        latest = (done, total)
        let now = DispatchTime.now().uptimeNanoseconds
        guard lastDraw == 0 || now - lastDraw >= 100_000_000 || (total.map { done >= $0 } ?? false) else { return }
        lastDraw = now
        draw(line(now: now))
    }

    /// Wipes the bar so that what the command prints next starts on a clean line.
    func finish() {
        guard lastLength > 0 else { return }
        StandardError.writeRaw("\r" + String(repeating: " ", count: lastLength) + "\r")
        lastLength = 0
    }

    private func draw(_ text: String) {
        let padding = max(0, lastLength - text.count)
        StandardError.writeRaw("\r" + text + String(repeating: " ", count: padding))
        lastLength = text.count
    }

    /// `Importing patients [=====>      ]  45%  12.3 MB of 27.1 MB  2.1 MB/s  0:07 left`, fitted to the
    /// terminal: the amounts go first when it is narrow, then the rate; the bar keeps at least 10 columns.
    func line(now: UInt64) -> String {
        let (done, total) = latest
        let seconds = max(Double(now - started) / 1e9, 0.001)
        let rate = Double(done) / seconds
        let width = Self.terminalWidth() - 1
        guard let total, total > 0 else {
            return String((label + "  " + [amount(done), rateText(rate)].joined(separator: "  ")).prefix(max(width, 1)))
        }
        let share = min(1, Double(done) / Double(total))
        let percent = String(format: "%3d%%", Int(share * 100))
        var left = ""
        if rate > 0, done < total, seconds >= 1 { left = Self.clock(Double(total - done) / rate) + " left" }
        // The time left keeps its place from the start, so the bar does not change length when it appears.
        left = left.padding(toLength: max(left.count, 9), withPad: " ", startingAt: 0)
        let tails = [[percent, amount(done, of: total), rateText(rate), left], [percent, rateText(rate), left], [percent, left], [percent]]
        for parts in tails {
            let tail = parts.joined(separator: "  ")
            let room = width - label.count - tail.count - 4
            guard room >= 10 else { continue }
            let barWidth = min(room, 40)
            let filled = Int(share * Double(barWidth))
            let bar = String(repeating: "=", count: filled) + (filled < barWidth ? ">" + String(repeating: " ", count: barWidth - filled - 1) : "")
            return "\(label) [\(bar)] \(tail)"
        }
        return String((label + "  " + percent).prefix(max(width, 1)))
    }

    /// `12.3 MB of 27.1 MB`, `4,096 of 10,003 changes`.
    private func amount(_ value: Int, of total: Int) -> String {
        switch unit {
        case .bytes: return "\(Self.bytes(Double(value))) of \(Self.bytes(Double(total)))"
        case .items(let name): return "\(value.formatted()) of \(total.formatted()) \(name)"
        }
    }

    private func amount(_ value: Int) -> String {
        switch unit {
        case .bytes: return Self.bytes(Double(value))
        case .items(let name): return "\(value.formatted()) \(name)"
        }
    }

    private func rateText(_ rate: Double) -> String {
        switch unit {
        case .bytes: return Self.bytes(rate) + "/s"
        case .items: return "\(Int(rate).formatted())/s"
        }
    }

    static func bytes(_ value: Double) -> String {
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.1f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(Int(value)) B"
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return TerminalWidth.current() ?? 80
    }
}
