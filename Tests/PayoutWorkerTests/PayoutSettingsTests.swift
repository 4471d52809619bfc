import ConciergeRuntime
import Configuration
import PayoutWorker
import Testing

/// The payout worker's recipe reads its settings from configuration and refuses a cadence it does not know.
struct PayoutSettingsTests {
    static func configuration(_ values: [AbsoluteConfigKey: ConfigValue]) -> FleetConfiguration {
        FleetConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test func settingsReadTheirKeys() throws {
        let settings = try PayoutWorker.settings(
            from: Self.configuration([
                "payout.rate_cards": "cards.yaml", "payout.period": "weekly",
                "payout.producers": .init(.stringArray(["escalation-eu"]), isSecret: false),
            ])
        )
        #expect(settings.rateCards == "cards.yaml")
        #expect(settings.period == .weekly)
        #expect(settings.producers == ["escalation-eu"])
        let defaults = try PayoutWorker.settings(from: Self.configuration([:]))
        #expect(defaults.period == .monthly)
        #expect(defaults.producers == ["concierge-escalation"])
    }

    @Test func anUnknownPeriodIsRefused() {
        #expect(throws: PayoutError.self) {
            try PayoutWorker.settings(from: Self.configuration(["payout.period": "daily"]))
        }
    }
}
