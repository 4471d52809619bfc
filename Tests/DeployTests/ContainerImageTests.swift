import Foundation
import Testing
import Yams

/// docker/: the image carries every executable and runs as a non-root user; the local (podman) Dockerfile builds the
/// same runtime stage; compose runs the same image and commands as Kubernetes.
@Suite struct ContainerImageTests {
    static let runtimeMarker = "\n# ---- runtime "

    static func runtimeStage(_ path: String) throws -> String {
        let text = try Repository.text(path)
        let start = try #require(text.range(of: Self.runtimeMarker), "\(path) has no runtime stage marker")
        return String(text[start.lowerBound...])
    }

    @Test func localDockerfileBuildsTheSameRuntimeStage() throws {
        #expect(try Self.runtimeStage("docker/Dockerfile") == Self.runtimeStage("docker/Dockerfile.runtime-local"))
    }

    @Test func baseImagesAreBuildArguments() throws {
        let dockerfile = try Repository.text("docker/Dockerfile")
        #expect(dockerfile.contains("FROM ${SWIFT_IMAGE} AS build"))
        #expect(dockerfile.contains("FROM ${RUNTIME_IMAGE} AS runtime"))
        #expect(Repository.captures(#"ARG RUNTIME_IMAGE=(\S+)"#, in: dockerfile) == ["debian:bookworm-slim"])
        #expect(
            Repository.captures(#"ARG RUNTIME_IMAGE=(\S+)"#, in: try Repository.text("docker/Dockerfile.runtime-local"))
                == ["debian:bookworm-slim"])
    }

    /// A Swift older than Package.swift's swift-tools-version cannot even read the manifest.
    @Test func buildImageSwiftIsAtLeastTheToolsVersion() throws {
        func version(_ text: String) -> [Int] { text.split(separator: ".").compactMap { Int($0) } }
        let tools = try #require(
            Repository.captures(#"swift-tools-version:\s*([0-9.]+)"#, in: Repository.text("Package.swift")).first)
        let image = try #require(
            Repository.captures(#"ARG SWIFT_IMAGE=swift:([0-9.]+)"#, in: Repository.text("docker/Dockerfile")).first)
        #expect(
            version(image).lexicographicallyPrecedes(version(tools)) == false,
            "swift:\(image) is older than tools version \(tools)")
    }

    @Test func imageShipsEveryExecutableAndOnlyRuntimeLibraries() throws {
        let dockerfile = try Repository.text("docker/Dockerfile")
        let loop = try #require(Repository.captures(#"for product in ([a-z0-9 -]+); do"#, in: dockerfile).first)
        #expect(Set(loop.split(separator: " ").map(String.init)) == Set(try FleetSources.executables()))
        #expect(dockerfile.contains("*.resources"), "the migrations bundle must sit next to the binaries")
        #expect(dockerfile.contains("--static-swift-stdlib"))
        let runtime = try Self.runtimeStage("docker/Dockerfile")
        #expect(runtime.contains("librabbitmq4") && runtime.contains("libpq5"))
        #expect(!runtime.contains("-dev"), "the runtime stage installs a -dev package")
    }

    @Test func imageRunsAsNonRootWithAHealthCheckOnAServedPath() throws {
        let runtime = try Self.runtimeStage("docker/Dockerfile")
        let user = try #require(Repository.captures(#"(?m)^USER (\S+)"#, in: runtime).last)
        #expect(!user.hasPrefix("0") && user != "root")
        let healthcheck = try #require(Repository.captures(#"(?m)^HEALTHCHECK .*CMD \[(.*)\]"#, in: runtime).first)
        #expect(healthcheck.contains("concierge-healthcheck"))
        let paths = Repository.captures(#"(/[a-z]+)"#, in: healthcheck)
        let served = try FleetSources.healthPaths()
        #expect(!paths.isEmpty && Set(paths).isSubset(of: served))
        let script = Repository.url("docker/concierge-healthcheck").path
        #expect(FileManager.default.isExecutableFile(atPath: script))
        #expect(try Repository.text("docker/verify-podman.sh").contains("Dockerfile.runtime-local"))
    }

    @Test func composeRunsTheSameImageAndCommandsAsKubernetes() throws {
        let compose = try Repository.yaml("docker/compose.yaml")
        let services = try #require(compose["services"])
        let manifests = try Manifests(kustomization: "deploy/base")
        let setup = try #require(services["setup"])
        let image = try #require(setup.at("image")?.string)
        #expect(image.contains("concierge:"))
        let job = try #require(manifests.one("Job", named: "concierge-setup"))
        let jobContainer = try #require(job.at("spec", "template", "spec", "containers")?.elements.first)
        #expect(setup.at("command")?.strings == jobContainer["command"]?.strings)
        for worker in try FleetSources.workers() {
            let service = try #require(services[worker], "compose has no \(worker) service")
            #expect(service.at("image")?.string == image)
            let deployment = try #require(manifests.one("Deployment", named: "concierge-\(worker)"))
            #expect(service.at("command")?.strings == Manifests.container(of: deployment)?["command"]?.strings)
            let replicas = service.at("deploy", "replicas")?.string ?? ""
            #expect(
                replicas.hasPrefix("${\(worker.uppercased())_REPLICAS"),
                "\(worker) replicas are not settable: \(replicas)")
            #expect(service.at("depends_on", "setup", "condition")?.string == "service_completed_successfully")
        }
    }

    @Test func composeStopGraceExceedsTheWorkersShutdownGrace() throws {
        let compose = try Repository.yaml("docker/compose.yaml")
        var environment: [String: String] = [:]
        for (key, value) in compose.at("services", "classifier", "environment")?.mapping ?? [:] {
            if let key = key.string, let value = value.string { environment[key] = value }
        }
        let grace = try #require(
            try FleetSources.effectiveInteger(forKey: "shutdown.grace_seconds", environment: environment))
        for worker in try FleetSources.workers() {
            let stop = try #require(compose.at("services", worker, "stop_grace_period")?.string)
            let seconds = try #require(Int(stop.replacingOccurrences(of: "s", with: "")))
            #expect(seconds > grace, "\(worker): stop_grace_period \(stop) <= \(grace) s")
        }
    }

    @Test func brokerHasTheManagementAndPrometheusPlugins() throws {
        let plugins = try Repository.text("docker/rabbitmq/enabled_plugins")
        #expect(plugins.contains("rabbitmq_management") && plugins.contains("rabbitmq_prometheus"))
        let compose = try Repository.yaml("docker/compose.yaml")
        let volumes = compose.at("services", "rabbitmq", "volumes")?.strings ?? []
        #expect(volumes.contains { $0.hasPrefix("./rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins") })
    }
}
