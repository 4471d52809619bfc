import ConciergeRuntime
import Logging
import Testing

@Suite struct HealthServerTests {
    @Test func endpointsReflectLivenessAndReadiness() {
        let health = WorkerHealth(livenessTimeout: .seconds(30))
        let server = HealthServer(
            host: "127.0.0.1", port: 0, health: health, metrics: { Array("m 1\n".utf8) }, logger: Logger(label: "t"))
        #expect(server.respond(method: "GET", path: "/healthz").0 == "200 OK")
        #expect(server.respond(method: "GET", path: "/readyz").0.hasPrefix("503"))
        health.setReadiness { true }
        #expect(server.respond(method: "GET", path: "/readyz").0 == "200 OK")
        #expect(server.respond(method: "GET", path: "/metrics").2 == Array("m 1\n".utf8))
        #expect(server.respond(method: "POST", path: "/healthz").0.hasPrefix("405"))
        #expect(server.respond(method: "GET", path: "/nope").0.hasPrefix("404"))
    }

    @Test func livenessFailsWhenTheLoopStalls() async throws {
        let health = WorkerHealth(livenessTimeout: .milliseconds(50))
        health.tick()
        #expect(health.isAlive)
        try await Task.sleep(for: .milliseconds(120))
        #expect(!health.isAlive)
    }
}
