import ConciergeSupport
import Foundation

/// How the reports write numbers: fixed decimals, seconds, megabytes and microseconds, written once for every report.
enum Figures {
    static func format(_ value: Double, digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// Seconds with two decimals.
    static func seconds(_ duration: Duration) -> String { format(duration.inSeconds, digits: 2) }

    /// Millions of bytes with one decimal.
    static func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_000_000, digits: 1) }

    /// Microseconds with one decimal.
    static func microseconds(_ duration: Duration) -> String { format(duration.inSeconds * 1e6, digits: 1) }

    /// The size of the file at `path` in bytes, 0 when it cannot be read.
    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
