import Testing
import Yams

/// The ConfigMap is generated from config/concierge.yaml: every key the workers read must be there, so operators
/// see (and can change) every setting in one file.
@Suite struct ConfigKeyTests {
    @Test func sourceScanFindsTheKeysTheseTestsRelyOn() throws {
        let keys = try FleetSources.configKeysRead()
        #expect(
            keys.isSuperset(of: ["http.port", "shutdown.grace_seconds", "amqp.url", "postgres.url"]),
            "scan found \(keys.sorted())")
    }

    @Test func everyKeyTheWorkersReadIsInTheConfigMapSource() throws {
        let read = try FleetSources.configKeysRead()
        let present = Set(try FleetSources.fleetConfig().flattenedKeys())
        let missing = read.subtracting(present).sorted()
        #expect(missing.isEmpty, "keys read by Sources/ but absent from config/concierge.yaml: \(missing)")
    }

    @Test func configMapIsGeneratedFromTheRepositoryConfigFiles() throws {
        let kustomization = try Repository.yaml("deploy/base/kustomization.yaml")
        let generator = try #require(
            kustomization["configMapGenerator"]?.elements.first { $0["name"]?.string == "concierge-config" })
        let files = generator["files"]?.strings ?? []
        #expect(files.contains { $0.hasPrefix("concierge.yaml=") })
        for entry in files {
            let source = String(entry.split(separator: "=", maxSplits: 1).last ?? "")
            let path = Manifests.join("deploy/base", source)
            #expect(path.hasPrefix("config/"), "\(entry) should come from config/")
            #expect(Repository.exists(path), "\(entry): \(path) does not exist")
        }
    }

    /// An environment variable that is not a key's upper-snake name is silently ignored by the workers: catch typos.
    @Test func everyEnvironmentVariableSetForTheWorkersIsAKeyTheyRead() throws {
        let known = Set(try FleetSources.configKeysRead().map(FleetSources.environmentName(forKey:)))
            .union(["CONCIERGE_CONFIG", "LOG_LEVEL"])
        let manifests = try Manifests(kustomization: "deploy/base")
        var names: [String] = []
        for object in manifests.all("Deployment") + manifests.all("Job") {
            for container in object.at("spec", "template", "spec", "containers")?.elements ?? [] {
                names += Manifests.environmentNames(of: container)
            }
        }
        let compose = try Repository.yaml("docker/compose.yaml")
        for (_, service) in compose["services"]?.mapping ?? [:]
        where service.at("image")?.string?.contains("concierge") == true {
            names += (service.at("environment")?.mapping ?? [:]).compactMap { $0.key.string }
        }
        #expect(!names.isEmpty)
        let unknown = Set(names).subtracting(known).sorted()
        #expect(unknown.isEmpty, "environment variables no worker reads: \(unknown)")
    }
}
