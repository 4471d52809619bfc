/// One training or evaluation example: a customer text and its intent label.
public struct LabeledText: Sendable, Hashable {
    /// The customer's text, as written.
    public var text: String
    /// The intent label, e.g. `card_arrival`.
    public var label: String

    /// Creates an example.
    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}
