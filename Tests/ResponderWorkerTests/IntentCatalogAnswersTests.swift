import ConciergeIntents
import ConciergeYAML
import Foundation
import ResponderWorker
import Testing

/// The responder reads the `answer:` kinds from the one intent catalog reader. The expectations below were checked
/// against the responder's former line scanner (`IntentAnswers`) on the shipped `config/intents.yaml`: every intent
/// and its kind are what the scanner read.
@Suite struct IntentCatalogAnswersTests {
    static let path = ResponderFixtures.root.appendingPathComponent("config/intents.yaml").path

    /// Every intent of the shipped catalog and how the AI may answer it.
    static let shipped: [String: IntentCatalog.Intent.Answer] = [
        "payment_status": .account,
        "next_instalment": .account,
        "refund_status": .account,
        "return_item": .howto,
        "change_payment_method": .howto,
        "payment_failed": .account,
        "pay_early": .accountOrHowto,
        "extend_due_date": .accountOrHowto,
        "order_not_received": .account,
        "wrong_amount_charged": .account,
        "account_login": .howto,
        "update_personal_details": .howto,
        "unrecognised_charge": .none,
        "dispute_purchase": .none,
        "financial_hardship": .none,
        "bereavement": .none,
        "complaint": .none,
        "data_privacy_request": .none,
        "card_problem": .howto,
        "spending_limit": .howto,
        "late_fee": .account,
        "cancel_order": .accountOrHowto,
        "payment_plan_options": .howto,
        "how_it_works": .howto,
        "close_account": .none,
        "merchant_question": .howto,
        "promo_code_discount": .howto,
        "payment_schedule_overview": .account,
        "statement_request": .howto,
    ]

    @Test func shippedCatalogGivesTheResponderEveryIntentsAnswerKind() throws {
        let catalog = try IntentCatalog.load(path: Self.path)
        #expect(Dictionary(uniqueKeysWithValues: catalog.intents.map { ($0.name, $0.answer) }) == Self.shipped)
        #expect(ResponderFixtures.responder.catalog["pay_early"]?.answer == .accountOrHowto)
        #expect(ResponderFixtures.responder.catalog["unknown_intent"] == nil)
    }

    @Test func anAnswerKindNoCodeKnowsIsRefusedWithTheIntentsName() throws {
        let yaml = try String(contentsOfFile: Self.path, encoding: .utf8)
            .replacingOccurrences(of: "answer: howto", with: "answer: how-to")
        let error = #expect(throws: ConfigurationFileError.self) { try IntentCatalog.parse(yaml, file: "intents.yaml") }
        #expect(error?.code == .invalidField)
        #expect(error?.file == "intents.yaml")
        #expect(
            error?.keyPath.hasPrefix("intents.") == true && error?.keyPath.hasSuffix(".answer") == true,
            "\(String(describing: error))")
        #expect(
            error?.description.contains("answer must be account, howto, account_or_howto or none, not 'how-to'") == true
        )
    }
}
