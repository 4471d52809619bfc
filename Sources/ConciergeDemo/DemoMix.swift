/// What the demo's generated day is made of: per 100 new conversations, how many of each kind. Close to a
/// buy-now-pay-later service's contact mix as the industry reports it: most contacts are routine account questions
/// (did my payment go through, when is the next one due, where is my refund), some are how-to questions, and about a
/// quarter need a person (fraud, disputes, hardship, bereavement, complaints, "let me talk to someone"). VIP customers
/// (every 25th seeded customer) get a person whatever they ask.
///
/// On top of the new conversations: follow-ups in a conversation the AI answered, customers coming back about the same
/// intent in a new conversation (repeats), customers the AI did not help, and a few malformed lines.
public struct DemoMix: Sendable {
    /// Routine account questions the AI answers from the customer's facts: intent → weight. `pay_early`,
    /// `extend_due_date` and `cancel_order` name a purchase here; their general forms are how-to questions.
    public var account: [(String, Int)]
    /// How-to questions the AI answers from the knowledge base: intent → weight.
    public var howto: [(String, Int)]
    /// Cases for a person: kind → weight. Kinds are catalog intents that route to a person, or `asked_for_person`.
    public var human: [(String, Int)]
    /// Per 100 new conversations the AI answered: a follow-up question in the same conversation.
    public var followUpsPer100: Int
    /// Per 100 AI-answered conversations: the customer asks again about the same intent in a new conversation.
    public var repeatsPer100: Int
    /// Per 100 AI-answered conversations: the customer says the answer did not help.
    public var unhelpedPer100: Int
    /// Malformed lines in the whole stream (each dead-lettered with its reason).
    public var malformed: Int

    public init(
        account: [(String, Int)], howto: [(String, Int)], human: [(String, Int)], followUpsPer100: Int,
        repeatsPer100: Int, unhelpedPer100: Int, malformed: Int
    ) {
        self.account = account
        self.howto = howto
        self.human = human
        self.followUpsPer100 = followUpsPer100
        self.repeatsPer100 = repeatsPer100
        self.unhelpedPer100 = unhelpedPer100
        self.malformed = malformed
    }

    /// The documented default (README, "The demo's day"): 68 account, 16 how-to, 24 for a person (weights).
    public static let bnpl = DemoMix(
        account: [
            ("payment_status", 15), ("next_instalment", 13), ("refund_status", 10), ("payment_schedule_overview", 6),
            ("payment_failed", 6), ("order_not_received", 5), ("late_fee", 3), ("wrong_amount_charged", 2),
            ("pay_early", 3), ("extend_due_date", 3), ("cancel_order", 2),
        ],
        howto: [
            ("return_item", 3), ("pay_early", 2), ("change_payment_method", 2), ("extend_due_date", 2),
            ("how_it_works", 2), ("account_login", 1), ("cancel_order", 1), ("statement_request", 1),
            ("promo_code_discount", 1), ("update_personal_details", 1),
        ],
        human: [
            ("asked_for_person", 6), ("complaint", 4), ("unrecognised_charge", 4), ("dispute_purchase", 3),
            ("financial_hardship", 3), ("bereavement", 2), ("data_privacy_request", 1), ("close_account", 1),
        ],
        followUpsPer100: 8, repeatsPer100: 4, unhelpedPer100: 3, malformed: 4
    )
}
