import ConciergeRuntime
import Testing
import Yams

/// KEDA scales each worker on the depth of the queue it consumes; the HPA fallback covers the same Deployments.
@Suite struct AutoscalingTests {
    let manifests: Manifests

    init() throws {
        self.manifests = try Manifests(kustomization: "deploy/base")
    }

    static func rabbitQueues(_ scaledObject: Node) -> [String] {
        (scaledObject.at("spec", "triggers")?.elements ?? [])
            .filter { $0["type"]?.string == "rabbitmq" }
            .compactMap { $0.at("metadata", "queueName")?.string }
    }

    @Test func everyWorkerScalesOnItsOwnQueue() throws {
        for worker in try FleetSources.workers() {
            let scaled = try #require(
                self.manifests.one("ScaledObject", named: "concierge-\(worker)"), "no ScaledObject for \(worker)")
            #expect(scaled.at("spec", "scaleTargetRef", "name")?.string == "concierge-\(worker)")
            #expect(self.manifests.one("Deployment", named: "concierge-\(worker)") != nil)
            let queue = try #require(try FleetSources.queue(ofWorker: worker), "FleetNames has no \(worker)Queue")
            #expect(Self.rabbitQueues(scaled).contains(queue), "\(worker) does not scale on \(queue)")
            let minimum = scaled.at("spec", "minReplicaCount")?.int ?? 0
            #expect(minimum >= 1, "\(worker) may scale to zero: its queue would have no consumer")
            #expect((scaled.at("spec", "maxReplicaCount")?.int ?? 0) > minimum)
        }
    }

    @Test func everyScaledQueueExistsInTheTopology() throws {
        let topology = try FleetSources.topologyQueues()
        let fleet = Set(try FleetSources.fleetQueues().values)
        let scaled = self.manifests.all("ScaledObject")
        #expect(!scaled.isEmpty)
        for object in scaled {
            let queues = Self.rabbitQueues(object)
            #expect(!queues.isEmpty, "\(object.name ?? "?") has no rabbitmq trigger")
            for queue in queues {
                #expect(topology.contains(queue), "\(queue) is not in config/rabbitmq-definitions.json")
                #expect(fleet.contains(queue), "\(queue) is not a FleetNames queue")
            }
        }
    }

    @Test func triggersAuthenticateWithTheBrokerSecret() throws {
        for object in self.manifests.all("ScaledObject") {
            for trigger in object.at("spec", "triggers")?.elements ?? [] {
                let reference = try #require(trigger.at("authenticationRef", "name")?.string)
                let authentication = try #require(self.manifests.one("TriggerAuthentication", named: reference))
                let targets = authentication.at("spec", "secretTargetRef")?.elements ?? []
                // KEDA's own user: monitoring only (config/rabbitmq-users.tsv), never the operator's AMQP_URL.
                #expect(
                    targets.contains {
                        $0["parameter"]?.string == "host" && $0["name"]?.string == "concierge-secrets"
                            && $0["key"]?.string == "KEDA_AMQP_URL"
                    })
                #expect(try WorkerDeploymentTests.devURL("KEDA_AMQP_URL")?.contains("://concierge-keda:") == true)
                let keda = try #require(try WorkerDeploymentTests.rabbitMQUsers().user("concierge-keda"))
                #expect(keda.tags == ["monitoring"] && [keda.configure, keda.write, keda.read] == ["^$", "^$", "^$"])
            }
        }
    }

    @Test func hpaFallbackCoversEveryWorker() throws {
        let component = try Repository.yaml("deploy/components/hpa-fallback/kustomization.yaml")
        #expect(component["kind"]?.string == "Component")
        for file in ["hpa.yaml", "hpa-queue-depth.example.yaml"] {
            let autoscalers = try Repository.yamlDocuments("deploy/components/hpa-fallback/\(file)")
            let targets = Set(autoscalers.compactMap { $0.at("spec", "scaleTargetRef", "name")?.string })
            for worker in try FleetSources.workers() {
                #expect(targets.contains("concierge-\(worker)"), "\(file) has no HPA for \(worker)")
            }
        }
    }
}
