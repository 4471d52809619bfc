import ArgumentParser
import ConciergePostgres
import ConciergeRuntime
import Foundation

/// `conciergectl customers erase ID`: erases a customer's texts, name and facts copies (see `CustomerErasure`);
/// idempotent. Prints rows changed per table, never the data.
struct CustomersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers", abstract: "Customers' data: erasure.", subcommands: [CustomersEraseCommand.self])
}

struct CustomersEraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase a customer's texts, name and account-facts copies (idempotent).")

    @Argument(help: "The customer id.") var id: String

    func run() async throws {
        let context = try await CommandContext.make()
        let customer = self.id
        let counts = try await context.withDatabase("customers") { database in
            try await database.transaction {
                try CustomerErasure.erase(customerID: customer, source: "conciergectl", in: $0)
            }
        }
        let changed = counts.values.reduce(0, +)
        print("customers erase: \(changed) rows changed" + (changed == 0 ? " (already erased or nothing stored)" : ""))
        for (table, count) in counts.sorted(by: { $0.key < $1.key }) where count > 0 { print("  \(table): \(count)") }
    }
}

/// `conciergectl retention enforce`: redacts customer text older than `retention.text_days` in batches. The CronJob
/// `concierge-retention` runs it hourly.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Retention of customer text.", subcommands: [RetentionEnforceCommand.self])
}

struct RetentionEnforceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enforce", abstract: "Redact customer text older than retention.text_days (batched).")

    func run() async throws {
        let context = try await CommandContext.make()
        let job = RetentionJob(configuration: context.configuration)
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-retention"),
            logger: context.logger)
        let started = ContinuousClock.now
        let redacted = try await job.enforce(on: database, logger: context.logger)
        await database.close()
        let took = ContinuousClock.now - started
        print(
            "retention: \(redacted.values.reduce(0, +)) rows redacted in \(took) (older than \(job.retention.components.seconds / 86_400) days)"
        )
        for table in RetentionJob.tables { print("  \(table): \(redacted[table] ?? 0)") }
    }
}
