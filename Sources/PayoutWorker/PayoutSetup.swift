public import ConciergePostgres
public import ConciergeRuntime
import Foundation
import Logging

/// Builds the payout worker from configuration.
///
/// Keys:
/// - `payout.rate_cards` (`config/payouts.yaml`): the rate-card versions (see ``RateCardBook``) and the `settlement`
///   section (minimum payouts, the paying accounts; see ``SettlementSettings``)
/// - `payout.period` (`monthly`): pay-period cadence, `weekly` (ISO weeks) or `monthly`, UTC. Choose once: periods
///   of another cadence cannot overlap existing ones.
/// - `payout.producers` (`[concierge-escalation]`): the AMQP users whose events the payout worker accepts (the
///   escalation worker's; RabbitMQ validates `user_id`), read by `concierge-payout`'s `main` and checked by the
///   runtime. Anything else is dead-lettered as `untrusted_sender`.
public enum PayoutSetup {
    public static func cadence(_ configuration: FleetConfiguration) throws -> PayCadence {
        let value = configuration.reader.string(forKey: "payout.period", default: "monthly")
        guard let cadence = PayCadence(rawValue: value) else {
            throw PayoutError(.invalidPeriod, "payout.period must be weekly or monthly, not '\(value.prefix(16))'")
        }
        return cadence
    }

    public static func book(_ configuration: FleetConfiguration) throws -> RateCardBook {
        try RateCardBook.load(path: configuration.reader.string(forKey: "payout.rate_cards", default: "config/payouts.yaml"))
    }

    public static func settlement(_ configuration: FleetConfiguration) throws -> SettlementSettings {
        try SettlementSettings.load(path: configuration.reader.string(forKey: "payout.rate_cards", default: "config/payouts.yaml"))
    }

    /// Loads the rate cards, stores new versions and refuses to start if a stored version was edited.
    public static func handler(_ context: WorkerApp.Context) async throws -> PayoutHandler {
        let book = try self.book(context.configuration)
        let cadence = try self.cadence(context.configuration)
        let database = try await PostgresConnection.connect(
            configuration: try context.configuration.postgres(applicationName: "concierge-payout-setup"), logger: context.logger
        )
        do {
            try await database.transaction { transaction in
                try PayoutLedger(cadence: cadence).verify(book, in: transaction)
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        context.logger.info(
            "rate cards loaded",
            metadata: ["payout.rate_cards": "\(book.cards.count)", "payout.period": "\(cadence.rawValue)"]
        )
        return PayoutHandler(book: book, cadence: cadence)
    }
}
