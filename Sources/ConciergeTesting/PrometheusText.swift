public import ConciergeRuntime

/// The fault tests' name for the runtime's health probe.
public typealias HTTPProbe = HealthProbe

/// Reads values out of a Prometheus text exposition.
public enum PrometheusText {
    /// The sum of the samples of metric `name` whose labels include every pair of `labels` (0 when none).
    public static func value(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name) else { continue }
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            guard labels.allSatisfy({ rest.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            if let value = rest.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return total
    }
}

extension HealthProbe {
    /// Whether `/readyz` on `port` answered 200 within 30 s (polled every 100 ms).
    public static func becameReady(port: Int) async throws -> Bool {
        for _ in 0..<300 {
            if await self.get(port: port, path: "/readyz")?.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
