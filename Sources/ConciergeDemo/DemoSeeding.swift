public import ConciergeCore
public import ConciergePostgres
import Foundation
public import ResponderWorker

/// The demo population `conciergectl seed` writes: `cus_0001` … `cus_NNNN`, every 25th a VIP, about one in six German,
/// about one in six in the UK market (paying in GBP), one in twelve Swedish in the SE market (paying in SEK); then their
/// account facts (purchases, plans, instalments, payments, refunds), deterministically from the customer id and the
/// day they are as of. Idempotent: existing customers and purchases are left alone.
public enum DemoSeeding {
    /// One seeded customer.
    public struct Customer: Sendable, Equatable {
        public var id: String
        public var name: String
        public var tier: String
        public var language: String
        public var market: String

        public init(id: String, name: String, tier: String, language: String, market: String) {
            self.id = id
            self.name = name
            self.tier = tier
            self.language = language
            self.market = market
        }
    }

    static let firstNames = [
        "Ada", "Ben", "Chloe", "Dev", "Elif", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Mia", "Noah",
        "Olga", "Paul",
    ]
    static let lastNames = [
        "Meyer", "Okafor", "Rossi", "Novak", "Schmidt", "Garcia", "Dubois", "Kowalski", "Silva", "Berg", "Smith",
        "Jansen",
    ]

    /// The first `count` customers of the population.
    public static func customers(_ count: Int) -> [Customer] {
        (1...max(1, count)).prefix(count).map { n in
            Customer(
                id: String(format: "cus_%04d", n),
                name: "\(Self.firstNames[n % Self.firstNames.count]) \(Self.lastNames[(n / 3) % Self.lastNames.count])",
                tier: n % 25 == 0 ? "vip" : "standard", language: n % 6 == 0 ? "de" : n % 12 == 5 ? "sv" : "en",
                market: n % 6 == 3 ? "UK" : n % 12 == 5 ? "SE" : "EU"
            )
        }
    }

    /// Inserts the customers that are not there yet; returns how many were new.
    public static func insert(_ customers: [Customer], on database: PostgresConnection) async throws -> Int {
        try await database.transaction { transaction in
            try transaction.execute(
                """
                INSERT INTO customers (customer_id, display_name, tier, language, market)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                ON CONFLICT (customer_id) DO NOTHING
                """,
                [
                    customers.map(\.id), customers.map(\.name), customers.map(\.tier), customers.map(\.language),
                    customers.map(\.market),
                ]
            )
        }
    }

    /// The currency a customer of `market` pays in.
    public static func currency(market: String) -> Currency {
        market == "UK" ? .gbp : market == "SE" ? .sek : .eur
    }

    /// Fills the account facts for every customer in `customers` as of `asOf`; returns the customers and the new
    /// purchases.
    public static func seedFacts(database: PostgresConnection, asOf: CalendarDate) async throws -> (
        customers: Int, purchases: Int
    ) {
        let seeded = try await database.transaction { transaction in
            let customers = try transaction.query("SELECT customer_id, market FROM customers ORDER BY customer_id").map
            {
                (try $0.decode(String.self, named: "customer_id"), try $0.decode(String.self, named: "market"))
            }
            let purchases = customers.flatMap { id, market in
                DemoFacts.purchases(customerID: id, currency: Self.currency(market: market), asOf: asOf)
            }
            return (customers.count, try FactsWriter.insert(purchases, in: transaction))
        }
        // Fresh statistics, so that the workers' first lookups are planned for the tables' real size (autovacuum
        // would get there only after its next round, up to a minute later).
        _ = try await database.query("ANALYZE customers, purchases, payment_plans, instalments, payments, refunds")
        return seeded
    }

    /// Today (UTC).
    public static func today() -> CalendarDate {
        CalendarDate(dayNumber: Int(Date().timeIntervalSince1970 / 86_400))
    }
}
