import ArgumentParser
import ConciergeAdmin
import ConciergeDemo
import ConciergePostgres
import ConciergeRuntime
import Configuration
import Foundation
import ResponderWorker

/// `conciergectl demo stream|check`: the demo's generated day and the check of every AI answer against the facts.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a day of inquiries from the seeded population, and check what the fleet did with it.",
        subcommands: [DemoStreamCommand.self, DemoCheckCommand.self]
    )
}

/// Writes `wave1.jsonl` (new conversations and a few malformed lines), `wave2.jsonl` (follow-ups, repeats, customers
/// the AI did not help: publish once the first wave is answered) and `expectations.jsonl` (the answer key) to `--out`.
struct DemoStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream", abstract: "Generate the demo's inquiries from the seeded customers and their facts."
    )

    @Option(help: "New conversations in the first wave.") var conversations = 200
    @Option(help: "Seed: the same seed over the same population gives the same stream.") var seed: UInt64 = 2026
    @Option(help: "Prefix of the generated message and conversation ids.") var run = "gen"
    @Option(help: "Directory for wave1.jsonl, wave2.jsonl and expectations.jsonl.") var out: String

    func run() async throws {
        let context = try await CommandContext.make()
        let (customers, facts) = try await context.withDatabase("demo") { database in
            try await database.transaction { try DemoDatabase.population(in: $0) }
        }
        guard !customers.isEmpty else { throw ValidationError("no seeded customers: run conciergectl seed first") }
        let stream = DemoStreamGenerator(seed: self.seed, run: self.run)
            .generate(customers: customers, facts: facts, conversations: self.conversations, now: Date())
        print(try DemoStreamFiles.write(stream, to: self.out))
    }
}

/// Checks the fleet's replies to a generated stream against the facts; exits 1 when an answer was wrong, a case for a
/// person reached the AI, or a line was lost or applied twice.
struct DemoCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check every AI answer of a generated stream against the customer's facts."
    )

    @Option(help: "The stream's expectations.jsonl.") var expectations: String
    @Option(help: "The outcome window in seconds (as for conciergectl report).") var windowSeconds = 24 * 3600

    func run() async throws {
        let context = try await CommandContext.make()
        let expected = try DemoStreamFiles.expectations(at: self.expectations)
        let window = self.windowSeconds
        let (observed, facts) = try await context.withDatabase("demo") { database in
            try await database.transaction { transaction in
                (
                    try DemoDatabase.observed(expected, windowSeconds: window, in: transaction),
                    try DemoDatabase.population(in: transaction).1
                )
            }
        }
        // The responder's due-date rules: a date an answer may state is a due date moved by their maximum.
        let rules = DueDateRules(
            maximumDays: context.configuration.reader.int(forKey: "responder.due_date.max_days", default: 14))
        // And its reply languages: the month names and currency words an answer may write amounts and dates in.
        let languages = try ReplyLanguages.load(
            directory: context.configuration.reader.string(forKey: "responder.replies", default: "config/replies"),
            fallback: context.configuration.reader.string(forKey: "responder.fallback_language", default: "en")
        )
        let summary = DemoAnswerCheck(dueDates: rules, vocabulary: languages.statedValues)
            .check(expectations: expected, observed: observed, facts: facts)
        print(summary.text)
        if !summary.passed { throw ExitCode(1) }
    }
}
