import Foundation
import Yams

/// What the Swift sources, Package.swift and config/ say about the fleet, read from the files themselves so the
/// manifests are checked against the code as it is, not against a copy of it in the tests.
enum FleetSources {
    /// Every configuration key the code reads: the `forKey: "a.b"` string literals under Sources/.
    static func configKeysRead() throws -> Set<String> {
        var keys: Set<String> = []
        for path in Repository.files(under: "Sources", endingIn: [".swift"]) {
            let text = try Repository.text(path)
            keys.formUnion(Repository.captures(#"forKey:\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)""#, in: text))
        }
        return keys
    }

    /// The integer default the code gives `key` (`forKey: "key", default: 20`), if any.
    static func integerDefault(forKey key: String) throws -> Int? {
        for path in Repository.files(under: "Sources", endingIn: [".swift"]) {
            let text = try Repository.text(path)
            let pattern = #"forKey:\s*""# + NSRegularExpression.escapedPattern(for: key) + #""[^)]*?default:\s*(-?\d+)"#
            if let value = Repository.captures(pattern, in: text).first { return Int(value) }
        }
        return nil
    }

    /// The environment variable that overrides a key: `shutdown.grace_seconds` is `SHUTDOWN_GRACE_SECONDS`.
    static func environmentName(forKey key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The executable products declared in Package.swift.
    static func executables() throws -> [String] {
        try Repository.captures(#"\.executable\(\s*name:\s*"([^"]+)""#, in: Repository.text("Package.swift"))
    }

    /// Executables named `concierge-…` that are apps, not queue workers: they serve people, drain no queue of their
    /// own and scale on CPU (their manifests are checked by `AgentGatewayDeploymentTests`).
    static let apps: Set<String> = ["agent-gateway"]

    /// The workers: executables named `concierge-<worker>`, apps excepted.
    static func workers() throws -> [String] {
        try self.executables().filter { $0.hasPrefix("concierge-") }.map { String($0.dropFirst("concierge-".count)) }
            .filter { !self.apps.contains($0) }
    }

    /// FleetNames' queue constants: `classifierQueue` → `concierge.classifier`.
    static func fleetQueues() throws -> [String: String] {
        let text = try Repository.text("Sources/ConciergeCore/Fleet/FleetNames.swift")
        let regex = try NSRegularExpression(pattern: #"static let (\w+Queue) = "([^"]+)""#)
        var queues: [String: String] = [:]
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let name = Range(match.range(at: 1), in: text), let value = Range(match.range(at: 2), in: text) else {
                continue
            }
            queues[String(text[name])] = String(text[value])
        }
        return queues
    }

    /// The queue a worker consumes, by FleetNames' convention `<worker>Queue`.
    static func queue(ofWorker worker: String) throws -> String? {
        try self.fleetQueues()["\(worker)Queue"]
    }

    /// The paths the health server answers (`case "/healthz":` in HealthServer.swift).
    static func healthPaths() throws -> Set<String> {
        Set(
            try Repository.captures(
                #"case "(/[a-z]+)":"#, in: Repository.text("Sources/ConciergeRuntime/Health/HealthServer.swift")))
    }

    /// Metric names the code creates (`label: "concierge_…"`).
    static func metricNames() throws -> Set<String> {
        var names: Set<String> = []
        for path in Repository.files(under: "Sources", endingIn: [".swift"]) {
            names.formUnion(Repository.captures(#"label:\s*"(concierge_[a-z0-9_]+)""#, in: try Repository.text(path)))
        }
        return names
    }

    /// Queue names in the broker definitions file config/rabbitmq-definitions.json.
    static func topologyQueues() throws -> Set<String> {
        let data = try Data(contentsOf: Repository.url("config/rabbitmq-definitions.json"))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let queues = object?["queues"] as? [[String: Any]] ?? []
        return Set(queues.compactMap { $0["name"] as? String })
    }

    /// config/concierge.yaml, the ConfigMap's main file.
    static func fleetConfig() throws -> Node { try Repository.yaml("config/concierge.yaml") }

    /// The value in force for an integer key: `environment` (a container's env) over config/concierge.yaml over the
    /// code's default.
    static func effectiveInteger(forKey key: String, environment: [String: String] = [:]) throws -> Int? {
        if let value = environment[self.environmentName(forKey: key)] { return Int(value) }
        if let value = try self.fleetConfig().at(key.split(separator: ".").map(String.init))?.int { return value }
        return try self.integerDefault(forKey: key)
    }
}
