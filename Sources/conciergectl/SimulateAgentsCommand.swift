import ArgumentParser
import ConciergeAdmin

/// `conciergectl simulate agents --count N`: simulated gig agents over the real broker, so demos and benchmarks
/// exercise real dispatch.
///
/// The agents are enrolled customers `sim_<market>_agent_NNNN` of `--market`. They go online (and send heartbeats), take their
/// offers from a queue of their own market bound to each simulated agent's `offer.agent.<agent_id>` on the outcomes
/// exchange (so simulators of several markets can run side by side), accept (after a short think), decline or
/// ignore them with the given odds, reply, resolve after a random delay, and their customers rate them. Some go
/// offline for a while and come back (`--churn-percent` per minute). Every event goes to the agents exchange as the
/// agent app would publish it.
///
/// With `--inquiries M` it also publishes M human-lane inquiries (`routed_inquiry.v1` to `lane.human`, as the
/// classifier would) at `--rate` per second, waits until they are all resolved, and prints time-to-assignment
/// percentiles and the other dispatch figures for that workload. Needs `concierge-escalation` running.
struct SimulateAgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "Run simulated gig agents over the broker.")

    @Option(help: "Number of agents.") var count = 50
    @Option(help: "Human-lane inquiries to publish (0: agents only, until --duration or Ctrl-C).") var inquiries = 0
    @Option(help: "Inquiries per second.") var rate = 50.0
    @Option(help: "Market of the agents and the simulated customers.") var market = "EU"
    @Option(help: "Concurrent conversations per agent.") var capacity = 2
    @Option(help: "Percent of offers accepted.") var acceptPercent = 85
    @Option(help: "Percent of offers ignored (left to expire); the rest are declined.") var ignorePercent = 3
    @Option(help: "Mean time from accept to resolve, milliseconds.") var resolveMs = 3000
    @Option(help: "Percent of agents going offline each minute (back 20 s later).") var churnPercent = 5
    @Option(help: "Stop after this many seconds (0: when the inquiries are resolved).") var duration = 0
    @Option(help: "Random seed.") var seed: UInt64 = 42

    func run() async throws {
        let context = try await CommandContext.make()
        let simulation = AgentSimulation(
            count: self.count, inquiries: self.inquiries, rate: self.rate, market: self.market, capacity: self.capacity,
            acceptPercent: self.acceptPercent, ignorePercent: self.ignorePercent, resolveMs: self.resolveMs,
            churnPercent: self.churnPercent,
            duration: self.duration, seed: self.seed
        )
        try await simulation.run(configuration: context.configuration, logger: context.logger)
    }
}
