import ConciergeYAML
import Foundation
import PayoutWorker
import Testing

/// `config/payouts.yaml` fails to load the way every configuration file does: a ``ConfigurationFileError`` naming the
/// configuration, the file, the key and what is wrong.
@Suite struct PayoutsFileErrorTests {
    @Test func aMissingFileIsUnreadableAndNamed() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).yaml")
            .path
        let rateCards = #expect(throws: ConfigurationFileError.self) { try RateCardBook.load(path: path) }
        #expect(rateCards?.code == .unreadable && rateCards?.configuration == "rate cards")
        #expect(rateCards?.file == (path as NSString).lastPathComponent)
        let settlement = #expect(throws: ConfigurationFileError.self) { try SettlementSettings.load(path: path) }
        #expect(settlement?.code == .unreadable && settlement?.configuration == "settlement")
        #expect(settlement?.file == (path as NSString).lastPathComponent)
    }

    @Test func aFieldOfTheWrongShapeNamesItsKey() {
        let error = #expect(throws: ConfigurationFileError.self) {
            try RateCardBook.parse("versions: [{ version: x, markets: {} }]", file: "payouts.yaml")
        }
        #expect(error?.code == .missingField && error?.file == "payouts.yaml")
        #expect(error?.keyPath == "versions.0.effective_from")
        #expect(error?.description.hasPrefix("rate cards: payouts.yaml: ") == true)
    }

    @Test func aVersionAndMarketDefinedTwiceIsADuplicate() {
        let market = "{ currency: EUR, base_fee: { routine: 1, complex: 1, sensitive: 1 } }"
        let yaml = """
            versions:
              - { version: x, effective_from: '2020-01-01T00:00:00Z', markets: { EU: \(market) } }
              - { version: x, effective_from: '2021-01-01T00:00:00Z', markets: { EU: \(market) } }
            """
        let error = #expect(throws: ConfigurationFileError.self) { try RateCardBook.parse(yaml, file: "payouts.yaml") }
        #expect(error?.code == .duplicateName && error?.file == "payouts.yaml")
        #expect(error?.detail == "rate card x/EU is defined twice")
    }

    @Test(arguments: [
        (
            "versions: []", ConfigurationFileError.Code.missingField, "settlement",
            "payouts.yaml has no settlement section"
        ),
        (
            "settlement: { minimum: { EUR: 0 }, debtor: { name: D, accounts: {} } }", .invalidField,
            "settlement.minimum.EUR", "minimum.EUR must be at least 1 minor unit"
        ),
        (
            "settlement: { debtor: { name: ' ', accounts: {} } }", .invalidField, "settlement.debtor.name",
            "debtor.name must have 1 to 70 characters"
        ),
        (
            "settlement: { debtor: { name: D, accounts: { EUR: { iban: 'DE00 0000', bic: COBADEFFXXX } } } }",
            .invalidField, "settlement.debtor.accounts.EUR", "debtor.accounts.EUR: IBAN "
        ),
        (
            "settlement: { debtor: { accounts: {} } }", .missingField, "settlement.debtor.name",
            "no 'settlement.debtor.name'"
        ),
    ])
    func anInvalidSettlementSectionNamesItsKey(
        _ yaml: String, _ code: ConfigurationFileError.Code, _ keyPath: String, _ detail: String
    ) {
        let error = #expect(throws: ConfigurationFileError.self) {
            try SettlementSettings.parse(yaml, file: "payouts.yaml")
        }
        #expect(error?.code == code && error?.configuration == "settlement" && error?.file == "payouts.yaml")
        #expect(error?.keyPath == keyPath)
        #expect(error?.detail.hasPrefix(detail) == true)
    }
}
