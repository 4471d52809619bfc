import ConciergeCore
import ConciergePostgres
public import ConciergeRuntime
import Configuration
import Logging
public import ServiceLifecycle

/// The payout worker: prices resolved conversations with a versioned rate card and posts the earnings to an
/// append-only double-entry ledger; closes pay periods into immutable statements; reconciles.
///
/// - Input: ``PayoutInput`` from the `concierge.payout` queue (`conversation.resolved.v1`, `feedback.v1`,
///   `conversation.reopened.v1`), applied by ``PayoutHandler``.
/// - Pricing: ``RateCardBook`` / ``RateCard`` (config/payouts.yaml) and ``PayoutPricing``.
/// - Ledger: ``PayoutLedger``; periods: ``PayPeriod``, ``PeriodCloser``; ``PayoutReconciler``; ``StatementExport``.
public enum PayoutWorker: WorkerRecipe {
    /// The worker's name (inbox consumer key, metrics dimension).
    public static let name = "payout"

    /// The payout worker's configuration.
    ///
    /// Keys:
    /// - `payout.rate_cards` (`config/payouts.yaml`): the rate-card versions (see ``RateCardBook``) and the `settlement`
    ///   section (minimum payouts, the paying accounts; see ``SettlementSettings``)
    /// - `payout.period` (`monthly`): pay-period cadence, `weekly` (ISO weeks) or `monthly`, UTC. Choose once: periods
    ///   of another cadence cannot overlap existing ones.
    /// - `payout.producers` (`[concierge-escalation]`): the AMQP users whose events the payout worker accepts (the
    ///   escalation worker's; RabbitMQ validates `user_id`), checked by the runtime. Anything else is dead-lettered as
    ///   `untrusted_sender`.
    public struct Settings: Sendable {
        public var rateCards = "config/payouts.yaml"
        public var period = PayCadence.monthly
        public var producers = PayoutHandler.defaultProducers

        public init() {}

        public init(configuration: FleetConfiguration) throws {
            let reader = configuration.reader
            self.rateCards = reader.string(forKey: "payout.rate_cards", default: self.rateCards)
            let period = reader.string(forKey: "payout.period", default: self.period.rawValue)
            guard let cadence = PayCadence(rawValue: period) else {
                throw PayoutError(.invalidPeriod, "payout.period must be weekly or monthly, not '\(period.prefix(16))'")
            }
            self.period = cadence
            self.producers = reader.stringArray(forKey: "payout.producers", default: self.producers)
        }

        /// The rate cards `rateCards` names.
        public func book() throws -> RateCardBook {
            try RateCardBook.load(path: self.rateCards)
        }

        /// The settlement section of the file `rateCards` names.
        public func settlement() throws -> SettlementSettings {
            try SettlementSettings.load(path: self.rateCards)
        }
    }

    public static func settings(from configuration: FleetConfiguration) throws -> Settings {
        try Settings(configuration: configuration)
    }

    public static func services(settings: Settings, context: WorkerApp.Context) async throws -> [any Service] {
        [
            try context.worker(
                name: self.name, queue: FleetNames.payoutQueue,
                handler: try await self.handler(settings, context: context),
                topology: context.configuration.topology.worker(.payout), producers: settings.producers
            )
        ]
    }

    /// Loads the rate cards, stores new versions and refuses to start if a stored version was edited.
    static func handler(_ settings: Settings, context: WorkerApp.Context) async throws -> PayoutHandler {
        let book = try settings.book()
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "concierge-payout-setup"),
            logger: context.logger
        )
        do {
            try await database.transaction { transaction in
                try PayoutLedger(cadence: settings.period).verify(book, in: transaction)
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        context.logger.info(
            "rate cards loaded",
            metadata: ["payout.rate_cards": "\(book.cards.count)", "payout.period": "\(settings.period.rawValue)"]
        )
        return PayoutHandler(book: book, cadence: settings.period, metrics: PayoutMetrics())
    }
}
