import Testing
import Yams

/// The agent app's gateway is not a queue worker: it has a Deployment with the worker probes, a Service for its app
/// port, a PodDisruptionBudget and a CPU autoscaler, and its own AMQP user's URL.
@Suite struct AgentGatewayDeploymentTests {
    let manifests: Manifests

    init() throws {
        self.manifests = try Manifests(kustomization: "deploy/base")
    }

    @Test func gatewayIsAnAppNotAWorker() throws {
        #expect(try FleetSources.executables().contains("concierge-agent-gateway"))
        #expect(try !FleetSources.workers().contains("agent-gateway"))
    }

    @Test func deploymentRunsTheGatewayWithProbesAndItsOwnBrokerUser() throws {
        let deployment = try #require(self.manifests.one("Deployment", named: "concierge-agent-gateway"))
        let container = try #require(Manifests.container(of: deployment))
        #expect(container["command"]?.strings == ["concierge-agent-gateway"])
        #expect(container["image"]?.string == "concierge")
        let ports = (container["ports"]?.elements ?? []).compactMap { $0["containerPort"]?.int }
        let environment = Manifests.environment(of: container)
        let appPort = try #require(try FleetSources.effectiveInteger(forKey: "gateway.port", environment: environment))
        let healthPort = try #require(try FleetSources.effectiveInteger(forKey: "http.port", environment: environment))
        #expect(ports.contains(appPort) && ports.contains(healthPort))
        for (probe, path) in [
            ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz"),
        ] {
            #expect(container.at(probe, "httpGet", "path")?.string == path)
        }
        let amqp = (container["env"]?.elements ?? []).first { $0["name"]?.string == "AMQP_URL" }
        #expect(amqp?.at("valueFrom", "secretKeyRef", "key")?.string == "GATEWAY_AMQP_URL")
    }

    @Test func serviceAutoscalerAndDisruptionBudgetExist() throws {
        let service = try #require(self.manifests.one("Service", named: "concierge-agent-gateway"))
        #expect(service.at("spec", "selector", "app.kubernetes.io/component")?.string == "agent-gateway")
        #expect(self.manifests.one("PodDisruptionBudget", named: "concierge-agent-gateway") != nil)
        let hpa = try #require(self.manifests.one("HorizontalPodAutoscaler", named: "concierge-agent-gateway"))
        #expect(
            (hpa.at("spec", "minReplicas")?.int ?? 0) >= 2, "two replicas: any one may go while agents stay connected")
    }
}
