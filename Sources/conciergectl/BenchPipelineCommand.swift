import ArgumentParser
import ConciergeBench
import Foundation

/// `conciergectl bench pipeline`: drives the running fleet end to end and prints throughput and latency percentiles
/// (see `PipelineBenchmark` for the method). Each inquiry is from a different seeded, non-VIP customer
/// (`--first-customer` onwards): a second run on the same database needs other customers, or its inquiries go to the
/// human lane as repeat contacts. Requires a migrated, seeded database and running workers (`scripts/bench-pipeline`
/// does it all).
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Benchmark the running fleet end to end (inquiry → reply / offer)."
    )

    @Option(help: "Inquiries to publish.")
    var messages = 10_000

    @Option(help: "Publish rate per second (0 = as fast as possible).")
    var rate = 0

    @Option(help: "Share of inquiries that need a human (0...1).")
    var humanShare = 0.0

    @Option(
        help:
            "First seeded customer number to use (cus_NNNN); each inquiry goes to its own customer so the repeat-contact rule does not fire."
    )
    var firstCustomer = 1

    @Option(help: "Seconds to wait for outcomes after the last publish.")
    var timeout = 120

    @Option(
        help:
            "Health ports of the workers (comma-separated): their /readyz is checked before the run and reported when outcomes are missing."
    )
    var workerPorts = ""

    @Option(
        help:
            "Seconds to wait for every fleet queue to have a consumer (and the workers to be ready) before publishing.")
    var readyTimeout = 120

    @Option(
        help:
            "Consumers each worker queue must have (the workers started per kind); more means another process takes this run's messages. 0: not checked."
    )
    var consumersPerQueue = 0

    func validate() throws {
        guard self.messages > 0 else { throw ValidationError("--messages must be at least 1") }
        guard self.rate >= 0, self.timeout > 0 else {
            throw ValidationError("--rate must not be negative and --timeout must be positive")
        }
    }

    func run() async throws {
        let context = try await CommandContext.make()
        let benchmark = PipelineBenchmark(
            messages: self.messages, rate: self.rate, humanShare: self.humanShare, firstCustomer: self.firstCustomer,
            timeout: self.timeout,
            workerPorts: self.workerPorts.split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            },
            readyTimeout: self.readyTimeout,
            consumersPerQueue: self.consumersPerQueue > 0 ? self.consumersPerQueue : nil
        )
        let exitCode = try await benchmark.run(configuration: context.configuration, logger: context.logger)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
