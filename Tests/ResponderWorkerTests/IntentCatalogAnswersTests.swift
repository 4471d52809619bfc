import ConciergeIntents
import Foundation
import ResponderWorker
import Testing

/// The responder reads the `answer:` kinds from the one intent catalog reader: what it gets from the shipped
/// `config/intents.yaml` is what its line scanner (`IntentAnswers`) read.
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

    @Test func catalogGivesTheResponderWhatTheLineScannerRead() throws {
        let scanned = try IntentAnswers.load(path: Self.path)
        let catalog = try IntentCatalog.load(path: Self.path)
        let decoded = Dictionary(uniqueKeysWithValues: catalog.intents.map { ($0.name, $0.answer.rawValue) })
        #expect(decoded == scanned.kinds.mapValues(\.rawValue))
        #expect(decoded == Self.shipped.mapValues(\.rawValue))
    }
}
