import ConciergeRuntime
import Foundation
import Testing
import Yams

/// Each worker executable has a Deployment whose probes, ports and grace period agree with what the worker serves
/// and how long it takes to stop.
@Suite struct WorkerDeploymentTests {
    let manifests: Manifests
    let workers: [String]

    init() throws {
        self.manifests = try Manifests(kustomization: "deploy/base")
        self.workers = try FleetSources.workers()
    }

    @Test func packageDeclaresTheFourWorkers() {
        #expect(Set(self.workers) == ["classifier", "responder", "escalation", "payout"])
    }

    @Test func everyWorkerHasADeploymentRunningItsExecutable() throws {
        for worker in self.workers {
            let deployment = try #require(
                self.manifests.one("Deployment", named: "concierge-\(worker)"), "no Deployment for \(worker)")
            let container = try #require(Manifests.container(of: deployment))
            #expect(container["command"]?.strings == ["concierge-\(worker)"])
            #expect(container["image"]?.string == "concierge")
        }
    }

    @Test func probesPointAtThePortAndPathsTheWorkerServes() throws {
        let served = try FleetSources.healthPaths()
        #expect(served.isSuperset(of: ["/healthz", "/readyz", "/metrics"]))
        for worker in self.workers {
            let deployment = try #require(self.manifests.one("Deployment", named: "concierge-\(worker)"))
            let container = try #require(Manifests.container(of: deployment))
            let port = try #require(
                try FleetSources.effectiveInteger(
                    forKey: "http.port", environment: Manifests.environment(of: container)))
            let ports = container["ports"]?.elements ?? []
            #expect(ports.contains { $0["containerPort"]?.int == port }, "\(worker): no containerPort \(port)")
            for (probe, path) in [
                ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz"),
            ] {
                let get = try #require(container.at(probe, "httpGet"), "\(worker): no \(probe)")
                #expect(get["path"]?.string == path, "\(worker) \(probe)")
                #expect(served.contains(get["path"]?.string ?? ""))
                // The probe's port is a number or the name of a container port; either way it must be `port`.
                let target = get["port"]
                let resolved =
                    target?.int ?? ports.first { $0["name"]?.string == target?.string }?["containerPort"]?.int
                #expect(resolved == port, "\(worker) \(probe) port \(target?.string ?? "-") is not \(port)")
            }
            let annotations = deployment.at("spec", "template", "metadata", "annotations")
            #expect(annotations?["prometheus.io/port"]?.string == String(port))
            #expect(annotations?["prometheus.io/path"]?.string == "/metrics")
        }
    }

    @Test func terminationGraceExceedsTheWorkersShutdownGrace() throws {
        for worker in self.workers {
            let deployment = try #require(self.manifests.one("Deployment", named: "concierge-\(worker)"))
            let container = try #require(Manifests.container(of: deployment))
            let grace = try #require(
                try FleetSources.effectiveInteger(
                    forKey: "shutdown.grace_seconds", environment: Manifests.environment(of: container))
            )
            let termination = try #require(
                deployment.at("spec", "template", "spec", "terminationGracePeriodSeconds")?.int)
            #expect(
                termination > grace,
                "\(worker): terminationGracePeriodSeconds \(termination) <= shutdown.grace_seconds \(grace)")
        }
    }

    @Test func everyWorkerHasRequestsLimitsAndRunsAsNonRoot() throws {
        for worker in self.workers {
            let deployment = try #require(self.manifests.one("Deployment", named: "concierge-\(worker)"))
            let container = try #require(Manifests.container(of: deployment))
            for section in ["requests", "limits"] {
                #expect(container.at("resources", section, "cpu") != nil, "\(worker) \(section).cpu")
                #expect(container.at("resources", section, "memory") != nil, "\(worker) \(section).memory")
            }
            #expect(deployment.at("spec", "template", "spec", "securityContext", "runAsNonRoot")?.bool == true)
            #expect(container.at("securityContext", "allowPrivilegeEscalation")?.bool == false)
        }
    }

    @Test func everyWorkerHasAPodDisruptionBudgetSelectingItsPods() throws {
        for worker in self.workers {
            let deployment = try #require(self.manifests.one("Deployment", named: "concierge-\(worker)"))
            let budget = try #require(
                self.manifests.one("PodDisruptionBudget", named: "concierge-\(worker)"), "no PDB for \(worker)")
            let podLabels = deployment.at("spec", "template", "metadata", "labels")?.mapping ?? [:]
            let selector = try #require(budget.at("spec", "selector", "matchLabels")?.mapping)
            #expect(!selector.isEmpty)
            for (key, value) in selector {
                #expect(
                    podLabels[key] == value,
                    "\(worker): PDB selects \(key.string ?? "")=\(value.string ?? "") not on the pods")
            }
            #expect(
                deployment.at("spec", "selector", "matchLabels")?.mapping
                    == budget.at("spec", "selector", "matchLabels")?.mapping)
        }
    }

    @Test func secretsAndConfigReferencedByPodsExist() throws {
        let objects = self.manifests.all("Deployment") + self.manifests.all("Job")
        #expect(!objects.isEmpty)
        // The base expects concierge-secrets; the dev overlay generates it, the prod example shows it.
        let dev = try Repository.yaml("deploy/overlays/dev/kustomization.yaml")
        let generated = dev["secretGenerator"]?.elements.first { $0["name"]?.string == "concierge-secrets" }
        let devKeys = Set((generated?["literals"]?.strings ?? []).map { String($0.split(separator: "=").first ?? "") })
        let example = try Repository.yaml("deploy/overlays/prod/secret.example.yaml")
        let exampleKeys = Set((example["stringData"]?.mapping ?? [:]).compactMap { $0.key.string })
        for object in objects {
            let pod = try #require(object.at("spec", "template", "spec"))
            for container in pod["containers"]?.elements ?? [] {
                let references = Manifests.secretReferences(of: container)
                let keys = references.map(\.1)
                // Least privilege: the setup Job migrates as the owner and declares the topology as the operator; each
                // worker logs in as its own PostgreSQL role and its own AMQP user (config/rabbitmq-users.tsv).
                if object.kind == "Job" {
                    #expect(keys.contains("POSTGRES_URL") && keys.contains("AMQP_URL"))
                } else {
                    let worker = (object.name ?? "").replacingOccurrences(of: "concierge-", with: "")
                        .replacingOccurrences(of: "-", with: "_").uppercased()
                    #expect(
                        keys.contains("POSTGRES_URL_\(worker)"), "\(object.name ?? "?") must use its own role's URL")
                    #expect(
                        !keys.contains("POSTGRES_URL"), "\(object.name ?? "?") must not use the migration owner's URL")
                    let amqpKey = worker == "AGENT_GATEWAY" ? "GATEWAY_AMQP_URL" : "AMQP_URL_\(worker)"
                    #expect(keys.contains(amqpKey), "\(object.name ?? "?") must use its own AMQP user's URL")
                    #expect(!keys.contains("AMQP_URL"), "\(object.name ?? "?") must not use the operator's AMQP URL")
                    // The dev overlay's URL for that key signs in as the user the users file gives that kind.
                    let user = worker == "AGENT_GATEWAY" ? "concierge-gateway" : "concierge-\(worker.lowercased())"
                    #expect(
                        try Self.devURL(amqpKey)?.contains("://\(user):") == true, "\(amqpKey) must sign in as \(user)")
                    #expect(try Self.rabbitMQUsers().user(user) != nil, "\(user) is not in config/rabbitmq-users.tsv")
                }
                for (name, key) in references {
                    #expect(name == "concierge-secrets")
                    #expect(devKeys.contains(key), "dev overlay secret lacks \(key)")
                    #expect(exampleKeys.contains(key), "prod secret example lacks \(key)")
                }
            }
            for volume in pod["volumes"]?.elements ?? [] {
                if let configMap = volume.at("configMap", "name")?.string { #expect(configMap == "concierge-config") }
            }
        }
    }

    /// Retention is enforced by the fleet on a schedule, not by hand: an hourly CronJob that never overlaps itself,
    /// runs `conciergectl retention enforce` with the shipped configuration and a secret that exists.
    @Test func retentionRunsOnAScheduleAsACronJob() throws {
        let cron = try #require(self.manifests.one("CronJob", named: "concierge-retention"))
        #expect(cron.at("spec", "schedule")?.string?.split(separator: " ").count == 5)
        #expect(cron.at("spec", "concurrencyPolicy")?.string == "Forbid")
        let pod = try #require(cron.at("spec", "jobTemplate", "spec", "template", "spec"))
        let container = try #require(pod["containers"]?.elements.first)
        #expect(container["command"]?.strings == ["conciergectl", "retention", "enforce"])
        let references = Manifests.secretReferences(of: container)
        #expect(references.map(\.1) == ["POSTGRES_URL"])
        #expect(try Self.devURL("POSTGRES_URL") != nil)
        #expect(pod["volumes"]?.elements.first?.at("configMap", "name")?.string == "concierge-config")
        #expect(try FleetSources.configKeysRead().contains("retention.text_days"))
    }

    @Test func setupJobMigratesAndDeclaresTheTopology() throws {
        let job = try #require(self.manifests.one("Job", named: "concierge-setup"))
        let container = try #require(job.at("spec", "template", "spec", "containers")?.elements.first)
        let command = (container["command"]?.strings ?? []).joined(separator: " ")
        #expect(command.contains("conciergectl migrate"))
        #expect(command.contains("conciergectl topology"))
        #expect(try FleetSources.executables().contains("conciergectl"))
    }

    static func rabbitMQUsers() throws -> RabbitMQUsers {
        try RabbitMQUsers.parse(
            try String(contentsOf: Repository.root.appendingPathComponent("config/rabbitmq-users.tsv"), encoding: .utf8)
        )
    }

    /// The value the dev overlay's generated Secret gives `key`.
    static func devURL(_ key: String) throws -> String? {
        let dev = try Repository.yaml("deploy/overlays/dev/kustomization.yaml")
        let generated = dev["secretGenerator"]?.elements.first { $0["name"]?.string == "concierge-secrets" }
        return (generated?["literals"]?.strings ?? []).first { $0.hasPrefix("\(key)=") }.map {
            String($0.dropFirst(key.count + 1))
        }
    }
}
