public import ConciergeDemo
import Foundation

/// The demo's files: `wave1.jsonl` (new conversations and a few malformed lines), `wave2.jsonl` (follow-ups, repeats,
/// customers the AI did not help: published once the first wave is answered) and `expectations.jsonl` (the answer
/// key `conciergectl demo check` reads), one JSON document a line.
public enum DemoStreamFiles {
    /// Writes the stream's files into `directory` (created if missing) and returns the line that sums it up: the
    /// lines in each wave and the expectations by kind.
    public static func write(_ stream: DemoStream, to directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (index, wave) in stream.waves.enumerated() {
            try (wave.joined(separator: "\n") + "\n").write(
                toFile: "\(directory)/wave\(index + 1).jsonl", atomically: true, encoding: .utf8)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let key = try stream.expectations.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (key.joined(separator: "\n") + "\n").write(
            toFile: "\(directory)/expectations.jsonl", atomically: true, encoding: .utf8)
        return self.summary(stream)
    }

    /// `demo stream: N lines in wave 1, M in wave 2 (kind count, …)`.
    public static func summary(_ stream: DemoStream) -> String {
        var kinds: [String: Int] = [:]
        for expectation in stream.expectations { kinds[expectation.kind.rawValue, default: 0] += 1 }
        return "demo stream: \(stream.waves[0].count) lines in wave 1, \(stream.waves[1].count) in wave 2 ("
            + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// The answer key in an `expectations.jsonl` file.
    public static func expectations(at path: String) throws -> [DemoExpectation] {
        let decoder = JSONDecoder()
        return try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n").map { try decoder.decode(DemoExpectation.self, from: Data($0.utf8)) }
    }
}
