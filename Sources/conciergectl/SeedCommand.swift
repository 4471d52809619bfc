import ArgumentParser
import ConciergePostgres
import ConciergeRuntime

/// Fills `customers` with a demo population: `cus_0001` … `cus_NNNN`, every 25th a VIP, about one in six German,
/// about one in six in the UK market (paying in GBP), one in twelve Swedish in the SE market (paying in SEK), then
/// their account facts (see `seed-facts`).
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
            configuration: try context.configuration.postgres(applicationName: "conciergectl-seed"), logger: context.logger
        )
        let firstNames = ["Ada", "Ben", "Chloe", "Dev", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mia", "Noah", "Olga", "Paul"]
        let lastNames = ["Meyer", "Okafor", "Rossi", "Novak", "Schmidt", "Garcia", "Dubois", "Kowalski", "Silva", "Berg", "Smith", "Jansen"]
        let ids = (1...self.customers).map { String(format: "cus_%04d", $0) }
        let names = (1...self.customers).map { "\(firstNames[$0 % firstNames.count]) \(lastNames[($0 / 3) % lastNames.count])" }
        let tiers = (1...self.customers).map { $0 % 25 == 0 ? "vip" : "standard" }
        let languages = (1...self.customers).map { $0 % 6 == 0 ? "de" : $0 % 12 == 5 ? "sv" : "en" }
        let markets = (1...self.customers).map { $0 % 6 == 3 ? "UK" : $0 % 12 == 5 ? "SE" : "EU" }
        let inserted = try await database.transaction { transaction in
            try transaction.execute(
                """
                INSERT INTO customers (customer_id, display_name, tier, language, market)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                ON CONFLICT (customer_id) DO NOTHING
                """,
                [ids, names, tiers, languages, markets]
            )
        }
        if self.noFacts { _ = try await database.query("ANALYZE customers") }
        print("seed: \(inserted) new customers (\(self.customers) requested, \(tiers.filter { $0 == "vip" }.count) VIP)")
        if !self.noFacts {
            let asOf = DemoFactsSeeding.today()
            let (customers, purchases) = try await DemoFactsSeeding.seed(database: database, asOf: asOf)
            print("seed: \(purchases) new purchases for \(customers) customers (as of \(asOf))")
        }
        await database.close()
    }
}
