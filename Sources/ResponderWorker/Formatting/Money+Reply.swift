public import ConciergeCore

extension Money {
    /// The amount as a customer reads it in `language` (see `MoneyFormat`).
    public func formatted(_ language: ReplyLanguage) -> String {
        language.money.format(self)
    }

    /// The amount as the agents' fact summaries write it, whatever the customer's language: `1,249.99 EUR`.
    public var factText: String {
        MoneyFormat.facts.format(self)
    }
}
