public import ConciergeIntents
public import IntentClassifier

extension IntentCatalog {
    /// The examples as training data for the intent model: every intent's, then the out-of-scope examples labelled
    /// ``IntentCatalog/outOfScopeLabel``.
    public var trainingData: [LabeledText] {
        self.intents.flatMap { intent in intent.examples.map { LabeledText(text: $0, label: intent.name) } }
            + self.outOfScopeExamples.map { LabeledText(text: $0, label: Self.outOfScopeLabel) }
    }
}
