/// Checks that every amount, date and reference a generated text states also appears in its sources (the facts
/// given to the model and the built-in answer), in whatever format either writes it.
public struct GroundingGuard: Sendable {
    private var amounts: [StatedAmount] = []
    private var dates: [StatedDate] = []
    private var references: Set<String> = []
    private let vocabulary: StatedValueVocabulary

    /// `sources`: the texts the generated text may take values from; `vocabulary`: the month names and currency words
    /// to read (the shipped reply languages' by default; the responder passes those of the languages it loaded).
    public init(sources: [String], vocabulary: StatedValueVocabulary = .shipped) {
        self.vocabulary = vocabulary
        for source in sources {
            for value in StatedValue.extract(from: source, vocabulary: vocabulary) {
                switch value {
                case .amount(let amount): self.amounts.append(amount)
                case .date(let date): self.dates.append(date)
                case .reference(let reference):
                    self.references.insert(reference)
                    // `ZL-448812` may be written as `order 448812`.
                    let digits = reference.filter(\.isNumber)
                    if digits.count >= 5 { self.references.insert(digits) }
                }
            }
        }
    }

    /// The values `text` states that no source states; empty when the text is grounded.
    public func ungrounded(in text: String) -> [StatedValue] {
        StatedValue.extract(from: text, vocabulary: self.vocabulary).filter { value in
            switch value {
            case .amount(let amount): !self.amounts.contains { amount.matches($0) }
            case .date(let date): !self.dates.contains { date.matches($0) }
            case .reference(let reference): !self.references.contains(reference)
            }
        }
    }
}
