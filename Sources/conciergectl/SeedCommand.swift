import ArgumentParser
import ConciergeDemo
import ConciergePostgres
import ConciergeRuntime

/// Fills `customers` with the demo population of `DemoSeeding`, then their account facts (see `seed-facts`).
/// Idempotent (existing customers and purchases are left alone).
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the database with a demo customer population."
    )

    @Option(help: "Number of customers.")
    var customers = 2000

    @Flag(help: "Customers only, no purchases, plans or payments.")
    var noFacts = false

    func run() async throws {
        let context = try await CommandContext.make()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "conciergectl-seed"),
            logger: context.logger
        )
        let customers = DemoSeeding.customers(self.customers)
        let inserted = try await DemoSeeding.insert(customers, on: database)
        if self.noFacts { _ = try await database.query("ANALYZE customers") }
        print(
            "seed: \(inserted) new customers (\(self.customers) requested, \(customers.filter { $0.tier == "vip" }.count) VIP)"
        )
        if !self.noFacts {
            let asOf = DemoSeeding.today()
            let (customers, purchases) = try await DemoSeeding.seedFacts(database: database, asOf: asOf)
            print("seed: \(purchases) new purchases for \(customers) customers (as of \(asOf))")
        }
        await database.close()
    }
}
