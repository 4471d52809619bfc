import ArgumentParser
import ConciergeBench
import Foundation

/// `conciergectl bench passthrough`: pushes N messages through one pass-through worker process (this executable's
/// `worker passthrough`) and prints messages/s and latency percentiles (see `PassthroughBenchmark` for the method).
struct BenchPassthroughCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passthrough",
        abstract: "Benchmark one worker process end to end (inbox, outbox, confirms, acks)."
    )

    @Option(help: "Messages to push.")
    var messages = 20_000

    @Option(help: "Payload size in bytes.")
    var payloadBytes = 300

    @Option(help: "Publish rate in messages per second (0 = as fast as possible).")
    var rate = 0

    @Option(help: "Seconds to wait for all copies before giving up.")
    var timeout = 300

    func run() async throws {
        let context = try await CommandContext.make()
        let benchmark = PassthroughBenchmark(
            messages: self.messages, payloadBytes: self.payloadBytes, rate: self.rate, timeout: self.timeout,
            workerExecutable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        )
        let complete: Bool
        do {
            complete = try await benchmark.run(configuration: context.configuration, logger: context.logger)
        } catch let error as BenchError {
            throw ValidationError(error.description)
        }
        if !complete { throw ExitCode(1) }
    }
}
