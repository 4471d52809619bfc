import IntentClassifier

/// A small hand-made intent dataset: training phrasings and different held-out phrasings.
enum SmallDataset {
    static let training: [LabeledText] = examples([
        "card_arrival": [
            "my card has not arrived yet", "when will my new card arrive", "still waiting for my card",
            "card hasn't been delivered", "how long until my card comes", "I ordered a card weeks ago, where is it",
            "the card you sent never showed up", "track the delivery of my card",
        ],
        "lost_card": [
            "I lost my card", "my card was stolen", "someone took my wallet with the card",
            "I can't find my card anywhere", "please block my stolen card", "card missing, lost it yesterday",
            "I think I dropped my card on the street", "report a lost card",
        ],
        "exchange_rate": [
            "what exchange rate do you use", "how much is a dollar in euros", "the exchange rate was bad",
            "which rate applies when converting currency", "is the euro rate fair", "conversion rate for pounds",
            "do you charge for currency exchange", "exchange rates today",
        ],
        "top_up_failed": [
            "my top up failed", "top-up didn't go through", "I tried to add money but it failed",
            "why was my top up declined", "can't top up my account", "adding funds keeps failing",
            "the top up was rejected", "top up error",
        ],
        "change_pin": [
            "how do I change my pin", "I want a new PIN", "reset my pin code", "update the pin on my card",
            "can I pick a different pin", "forgot my pin, change it", "change PIN number", "set a new pin please",
        ],
    ])

    static let heldOut: [LabeledText] = examples([
        "card_arrival": ["my new card still hasn't arrived", "where is the card you posted me"],
        "lost_card": ["help, my card got stolen", "I have lost my bank card"],
        "exchange_rate": ["what rate do you give for euros", "how is the exchange rate calculated"],
        "top_up_failed": ["top up failed again", "money top up was declined"],
        "change_pin": ["I'd like to change my pin", "how can I reset the PIN"],
    ])

    private static func examples(_ byLabel: KeyValuePairs<String, [String]>) -> [LabeledText] {
        byLabel.flatMap { label, texts in texts.map { LabeledText(text: $0, label: label) } }
    }

    /// Options for a dataset this small: keep every n-gram.
    static var options: TrainingOptions {
        var options = TrainingOptions()
        options.minDocumentFrequency = 1
        options.epochs = 30
        options.batchSize = 8
        options.learningRate = 0.02
        return options
    }
}
