import ConciergeTesting
import Foundation
import Testing

/// `conciergectl bench gateway` (the figures of issue 13) works end to end on a small scale: real gateway processes,
/// signed-in agents on WebSockets, offers and customer messages delivered, nothing lost, the figures printed. No
/// timing is asserted; the benchmark is for measuring.
@Suite(.serialized, .enabled(if: TestServices.enabled, "RabbitMQ and PostgreSQL not reachable"))
struct GatewayBenchmarkTests {
    @Test func theGatewayBenchmarkDeliversEverythingAndPrintsItsFigures() async throws {
        // The benchmark expects a migrated database and the fleet's topology (the outcomes exchange).
        #expect(await Self.run(["migrate"]).status == 0)
        #expect(await Self.run(["topology"]).status == 0)
        let (status, output) = await Self.run([
            "bench", "gateway", "--agents", "6", "--replicas", "2", "--rounds", "2", "--singles", "4",
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("6 agents on 2 replicas, 2 burst rounds: 24 deliveries"), "\(output)")
        #expect(output.contains("0 lost in all"), "\(output)")
        #expect(
            output.contains("offer → socket:") && output.contains("(n=12)") && output.contains("(n=2)"), "\(output)")
        #expect(output.contains("memory per connected agent:"), "\(output)")
    }

    static func run(_ arguments: [String]) async -> (status: Int32, output: String) {
        let run = await CommandLineRun.run(arguments)
        return (run.status, run.output + run.errors)
    }
}
